using ImsCrawler.Api;
using ImsCrawler.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImsCrawler.Web.Tests.Infrastructure;

/// <summary>An app of the solution on a real Kestrel port (loopback, chosen by the OS), as a browser reaches it.</summary>
public abstract class KestrelApp<TEntryPoint, TSelf> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
    where TSelf : KestrelApp<TEntryPoint, TSelf>
{
    public string Url { get; private set; } = "";

    public TSelf Start()
    {
        UseKestrel(0);
        StartServer();
        Url = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (TSelf)this;
    }
}

/// <summary>The real Api on a real Kestrel port, on the fixture's database.</summary>
public sealed class ApiServer(string connectionString) : KestrelApp<ApiEntryPoint, ApiServer>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:imsdb", connectionString);
    }
}

/// <summary>
/// The real Web on a real Kestrel port. It finds the Api the way it does under Aspire: service discovery resolves
/// <c>https+http://api</c> from <c>Services:api:http:0</c>. Two instances on the same data directory share sign-ins
/// (the Data Protection keys and sessions are files there), as a restarted Web does.
/// </summary>
public sealed class WebServer(string apiUrl, string dataDirectory, Dictionary<string, string?>? settings = null)
    : KestrelApp<WebEntryPoint, WebServer>
{
    /// <summary>The Web's warnings and errors (TestResults/web-screenshots/web.log).</summary>
    public static string LogFile { get; set; } = Path.Combine(Path.GetTempPath(), "ims-web-tests.log");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The build output's static assets (app.css, app.js) as `dotnet run` serves them; a published app has them in wwwroot.
        builder.UseStaticWebAssets();
        builder.UseSetting("Services:api:http:0", apiUrl);
        builder.UseSetting("Web:DataDirectory", dataDirectory);
        builder.ConfigureLogging(logging => logging.AddProvider(new FileLoggerProvider(LogFile)));
        foreach (var (key, value) in settings ?? [])
            builder.UseSetting(key, value);
    }
}
