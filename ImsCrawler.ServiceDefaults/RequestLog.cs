using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A quiet console: one line per request (method, path, status, duration), none for health probes, and no
/// framework or per-command chatter at the default level. These are defaults: a service's appsettings or the
/// environment (<c>Logging__LogLevel__Npgsql=Debug</c>) override each of them.
/// </summary>
public static class RequestLog
{
    public const string Category = "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware";

    private static readonly Dictionary<string, string?> QuietDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        [$"Logging:LogLevel:{Category}"] = "Information",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Http"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Warning",
    };

    public static TBuilder AddRequestLog<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Lowest precedence: inserted before every other configuration source.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietDefaults });
        builder.Services.AddHttpLogging(logging =>
        {
            logging.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                                    | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            logging.CombineLogs = true;
        });
        return builder;
    }

    /// <summary>Logs each request but health probes in one line; call it first, so the duration covers the whole pipeline.</summary>
    public static WebApplication UseRequestLog(this WebApplication app)
    {
        app.UseWhen(context => !Extensions.IsHealthProbe(context.Request.Path), branch => branch.UseHttpLogging());
        return app;
    }
}
