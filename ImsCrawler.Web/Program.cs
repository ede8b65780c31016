using ImsCrawler.Web;
using ImsCrawler.Web.Account;
using ImsCrawler.Web.Api;
using ImsCrawler.Web.Components;
using ImsCrawler.Web.Display;
using ImsCrawler.Web.Localization;
using ImsCrawler.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var web = builder.Configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
builder.Services.Configure<WebOptions>(builder.Configuration.GetSection(WebOptions.Section));
builder.Services.AddRazorComponents();
builder.Services.AddHttpContextAccessor();
builder.Services.AddLocalization();
builder.Services.AddSingleton(TimeProvider.System);

// The Api, through service discovery and the standard resilience handler (ServiceDefaults). Writes are not
// retried: a create that timed out may have happened, and doing it twice would make two users or two keys.
builder.Services.AddTransient<ApiKeyHandler>();
builder.Services.AddHttpClient<ImsApiClient>(client => client.BaseAddress = new Uri(web.ApiBaseAddress))
    .AddHttpMessageHandler<ApiKeyHandler>();
builder.Services.ConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.DisableForUnsafeHttpMethods());

// Sign-in: a cookie naming a server-side session that holds the API key; keys and sessions survive restarts.
// Sessions hold API keys and the key ring is not encrypted at rest: only this service's OS user may read them.
if (OperatingSystem.IsWindows())
    Directory.CreateDirectory(web.DataDirectory);
else
    Directory.CreateDirectory(web.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
builder.Services.AddDataProtection()
    .SetApplicationName("ims-crawler-web")
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(web.DataDirectory, "keys")));
builder.Services.AddSingleton<FileTicketStore>();
builder.Services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, UseFileTicketStore>();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options =>
    {
        options.Cookie.Name = "ims-session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = web.SessionLifetime;
        options.SlidingExpiration = true;
        options.LoginPath = AccountEndpoints.SignInPath;
        options.Events.OnValidatePrincipal = SignInManager.RevalidateAsync;
        // A signed-in person without the role gets a 403 page at the address they asked for, not a redirect.
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    });
builder.Services.AddAuthorization();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<SignInManager>();
builder.Services.AddScoped<UserClock>();

var app = builder.Build();
app.UseRequestLog();

app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
app.UseRequestLocalization(options =>
{
    options.SetDefaultCulture(Cultures.Default).AddSupportedCultures(Cultures.Supported).AddSupportedUICultures(Cultures.Supported);
    // The switch's cookie first, then the browser's Accept-Language.
    options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
    options.ApplyCurrentCultureToResponseHeaders = true;
});
app.UseAuthentication();
app.UseAuthorization();
app.UseSignOutOnRejectedKey();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapDefaultEndpoints();
app.MapAccountEndpoints();
app.MapRazorComponents<App>();

app.Run();

namespace ImsCrawler.Web
{
    /// <summary>Names this assembly for <c>WebApplicationFactory</c> in tests (the Api has a <c>Program</c> too).</summary>
    public sealed class WebEntryPoint;
}
