using System.Text.RegularExpressions;
using ImsCrawler.TestSupport;
using Microsoft.Playwright;

namespace ImsCrawler.Web.Tests.Infrastructure;

/// <summary>
/// Everything the browser tests share, started once per run: a migrated PostgreSQL database with the seeded data,
/// the real Api and Web on Kestrel, and one Chromium. Each test gets a fresh browser context (own cookies).
/// <para>Chromium: <c>IMS_CHROMIUM</c> names the executable (default /usr/bin/chromium, Debian's package).
/// Screenshots go to <c>IMS_WEB_SCREENSHOTS</c> (default TestResults/web-screenshots in the repository).</para>
/// </summary>
public sealed class WebStack : IAsyncLifetime
{
    public const string ChromiumVariable = "IMS_CHROMIUM";
    public const string ScreenshotsVariable = "IMS_WEB_SCREENSHOTS";

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), $"ims-web-tests-{Guid.NewGuid():N}");
    private IPlaywright? playwright;

    public DatabaseFixture Database { get; } = new();

    public ApiServer Api { get; private set; } = null!;

    public WebServer Web { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public SeedData Seed { get; private set; } = null!;

    public string DataDirectory => dataDirectory;

    public string ScreenshotDirectory { get; } =
        Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } directory
            ? directory
            : Path.Combine(RepositoryRoot(), "TestResults", "web-screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        WebServer.LogFile = Path.Combine(ScreenshotDirectory, "web.log");
        File.Delete(WebServer.LogFile);
        await Database.InitializeAsync();
        Seed = await SeedData.CreateAsync(Database);
        Api = new ApiServer(Database.ApiConnectionString).Start();
        Web = new WebServer(Api.Url, dataDirectory).Start();

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium",
            // Root has no user namespaces for Chromium's sandbox here; the rest keeps it from calling home.
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        playwright?.Dispose();
        if (Web is not null)
            await Web.DisposeAsync();
        if (Api is not null)
            await Api.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(dataDirectory))
            Directory.Delete(dataDirectory, recursive: true);
    }

    /// <summary>A fresh context (no cookies) on the Web; <paramref name="locale"/> sets Accept-Language.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US", string timeZone = "UTC", string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl ?? Web.Url,
            Locale = locale,
            TimezoneId = timeZone,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    /// <summary>A fresh context, signed in through the sign-in page with <paramref name="key"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string key, string locale = "en-US", string timeZone = "UTC")
    {
        var page = await NewPageAsync(locale, timeZone);
        await SignInAsync(page, key);
        return page;
    }

    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/signin");
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#signin-submit");
        try
        {
            // The sign-in asks the Api (GET /api/me); with every test assembly sharing 2 cores that can take a while.
            await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal), new() { Timeout = 30_000 });
        }
        catch (TimeoutException exception)
        {
            var alerts = await page.Locator("[role=alert]").AllInnerTextsAsync();
            throw new InvalidOperationException($"Signing in stayed on {page.Url}; the page says: {string.Join(" | ", alerts)}", exception);
        }
    }

    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotDirectory, Regex.Replace(name, "[^A-Za-z0-9_-]", "-") + ".png"),
            FullPage = true,
        });

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ImsCrawler.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebStack>
{
    public const string Name = "Web";
}
