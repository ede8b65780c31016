using ImsCrawler.Migrator.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImsCrawler.Migrator.Cli;

/// <summary>The generic host, only for configuration, logging and the Aspire service defaults (telemetry).</summary>
public static class MigratorHost
{
    public static IHost Build(TextWriter output, TextWriter errorOutput)
    {
        // No command-line args: the host would turn "--host x" into configuration keys.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.Logging.AddProvider(new PlainTextLoggerProvider(output, errorOutput));
        builder.Logging.AddFilter<PlainTextLoggerProvider>("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter<PlainTextLoggerProvider>("System", LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        return builder.Build();
    }
}
