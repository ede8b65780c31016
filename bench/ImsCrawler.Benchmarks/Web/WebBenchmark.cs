using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Dapper;
using ImsCrawler.Api;
using ImsCrawler.Api.Identity;
using ImsCrawler.Benchmarks.Search;
using ImsCrawler.TestSupport;
using ImsCrawler.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.Benchmarks.Web;

/// <summary>
/// Web benchmark (run by hand, not in CI). See docs/benchmarks.md, "Web".
/// <code>dotnet run -c Release --project bench/ImsCrawler.Benchmarks -- web [--issues 100000] [--runs 200]</code>
/// Generates the search benchmark's issues set-based, starts the real Api and Web on Kestrel (loopback, Production
/// environment), signs in through the sign-in form and times GET of the search page for a selective and a broad
/// query: Web request, its Api call over HTTP, the database, the rendering, all of it. The Api's search endpoint
/// alone is timed the same way for comparison. Then weighs every page: HTML plus the CSS and JS it loads.
/// </summary>
public static partial class WebBenchmark
{
    private static readonly (string Label, string Query)[] Queries =
    [
        ("selective code (~10 hits)", "OFCBX9021"),
        ("selective Korean (~10 hits)", "롤백세그먼트가"),
        ("broad (~20%)", "timeout"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Measure.Arg(args, name, fallback);
        var issueCount = Arg("--issues", 100_000);
        var runs = Arg("--runs", 200);

        Console.WriteLine("Starting PostgreSQL and migrating a fresh database ...");
        var server = await Measure.ServerAsync();
        var databaseName = await server.CloneTemplateAsync();
        var connectionString = server.ConnectionStringFor(databaseName);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var clock = Stopwatch.StartNew();
        await SearchBenchmark.GenerateIssuesAsync(dataSource, issueCount);
        await using (var connection = await dataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 0);
        Console.WriteLine($"Generated {issueCount} issues in {clock.Elapsed.TotalSeconds:0} s");
        var userKey = await CreateUserAsync(dataSource, "bench-web-user", "user");
        var adminKey = await CreateUserAsync(dataSource, "bench-web-admin", "admin");

        var dataDirectory = Path.Combine(Path.GetTempPath(), $"ims-web-bench-{Guid.NewGuid():N}");
        await using var api = new Host<ApiEntryPoint>(builder => builder.UseSetting("ConnectionStrings:imsdb", connectionString));
        api.Start();
        await using var web = new Host<WebEntryPoint>(builder =>
        {
            builder.UseStaticWebAssets();
            builder.UseSetting("Services:api:http:0", api.Url);
            builder.UseSetting("Web:DataDirectory", dataDirectory);
        });
        web.Start();

        using var user = await SignInAsync(web.Url, userKey);
        using var apiClient = new HttpClient { BaseAddress = new Uri(api.Url) };
        apiClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", userKey);

        var rows = new List<string>();
        foreach (var (label, query) in Queries)
        {
            var q = Uri.EscapeDataString(query);
            var page = await TimeAsync(runs, () => GetAsync(user, $"/?q={q}"));
            var alone = await TimeAsync(runs, () => GetAsync(apiClient, $"/api/search?q={q}"));
            var html = await user.GetStringAsync($"/?q={q}");
            var total = TotalHeading().Match(html).Groups[1].Value;
            rows.Add($"| {label} | `{query}` | {total} | {page.P50:0.0} | **{page.P95:0.0}** | {page.P99:0.0} | {alone.P50:0.0} | {alone.P95:0.0} |");
            Console.WriteLine(rows[^1]);
        }

        using var admin = await SignInAsync(web.Url, adminKey);
        var someIssue = "BENCH-" + (issueCount / 2);
        string[] pages =
        [
            "/signin", "/", "/?q=OFCBX9021", "/?q=timeout", $"/issues/{someIssue}", "/sessions", "/sessions/retention?days=365",
            "/dashboard", "/admin", "/admin/users", "/admin/jobs", "/admin/database", "/admin/audit",
        ];
        var weights = new List<string>();
        foreach (var path in pages)
        {
            var client = path == "/signin" ? new HttpClient { BaseAddress = new Uri(web.Url) } : admin;
            var weight = await WeighAsync(client, path);
            weights.Add($"| `{path}` | {weight.Html / 1024.0:0.0} | {weight.Css / 1024.0:0.0} | {weight.Js / 1024.0:0.0} | **{weight.Total / 1024.0:0.0}** |");
        }

        Console.WriteLine();
        Console.WriteLine($"## {issueCount} issues, {Environment.ProcessorCount} cores, {runs} runs each");
        Console.WriteLine("| query | q | hits | search page p50 ms | search page p95 ms | p99 ms | Api alone p50 ms | Api alone p95 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| page | HTML KB | CSS KB | JS KB | total KB (uncompressed) |");
        Console.WriteLine("|---|---|---|---|---|");
        weights.ForEach(Console.WriteLine);

        await server.DropDatabaseAsync(databaseName);
        if (Directory.Exists(dataDirectory))
            Directory.Delete(dataDirectory, recursive: true);
        return 0;
    }

    private static async Task<string> CreateUserAsync(NpgsqlDataSource dataSource, string username, string role)
    {
        var key = ApiKeys.Generate();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            with u as (insert into ims.users (username, role) values (@username, @role) returning user_id)
            insert into ims.api_keys (user_id, name, key_prefix, key_hash) select user_id, 'bench', @prefix, @hash from u
            """, new { username, role, prefix = ApiKeys.Prefix(key), hash = ApiKeys.Hash(key) });
        return key;
    }

    /// <summary>Signs in through the sign-in form, as a browser does; the client keeps the session cookie.</summary>
    private static async Task<HttpClient> SignInAsync(string webUrl, string key)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(webUrl),
        };
        var form = await client.GetStringAsync("/signin");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["Key"] = key,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}");
        return client;
    }

    private static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
        await response.Content.ReadAsByteArrayAsync();
    }

    private sealed record Weight(long Html, long Css, long Js)
    {
        public long Total => Html + Css + Js;
    }

    /// <summary>The page's HTML and every stylesheet and script it references, uncompressed (the strictest count).</summary>
    private static async Task<Weight> WeighAsync(HttpClient client, string path)
    {
        var html = await client.GetByteArrayAsync(path);
        var text = System.Text.Encoding.UTF8.GetString(html);
        long css = 0, js = 0;
        foreach (Match asset in AssetReference().Matches(text))
        {
            var url = asset.Groups["url"].Value;
            var bytes = (await client.GetByteArrayAsync(url)).LongLength;
            if (url.EndsWith(".css", StringComparison.Ordinal))
                css += bytes;
            else
                js += bytes;
        }
        return new Weight(html.Length, css, js);
    }


    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<(?:link[^>]+rel=\"stylesheet\"[^>]+href|script[^>]+src)=\"(?<url>[^\"]+)\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex("id=\"results-heading\"[^>]*>\\s*([^<]+?)\\s*<")]
    private static partial Regex TotalHeading();

    /// <summary>An app on a real Kestrel port, Production environment, Warning-level logs.</summary>
    private sealed class Host<TEntryPoint>(Action<IWebHostBuilder> configure) : WebApplicationFactory<TEntryPoint>
        where TEntryPoint : class
    {
        public string Url { get; private set; } = "";

        public Host<TEntryPoint> Start()
        {
            UseKestrel(0);
            StartServer();
            Url = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return this;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            configure(builder);
        }
    }

    private static Task<Measure.Timing> TimeAsync(int runs, Func<Task> work) => Measure.TimeAsync(runs, work, warmup: 10);
}
