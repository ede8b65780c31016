using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImsCrawler.ServiceDefaults.Tests;

/// <summary>The services' consoles: one line per request, none for health probes or framework and per-command chatter.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task A_request_is_one_line_and_a_health_probe_none()
    {
        var (app, lines) = await StartAppAsync();
        await using (app)
        {
            var client = app.GetTestClient();

            await client.GetAsync("/api/ping");
            await client.GetAsync("/health");
            await client.GetAsync("/alive");
            await app.StopAsync();
        }

        var line = Assert.Single(lines);
        Assert.Equal(RequestLog.Category, line.Category);
        Assert.Contains("GET", line.Message);
        Assert.Contains("/api/ping", line.Message);
        Assert.Contains("200", line.Message);
    }

    [Fact]
    public async Task Framework_and_npgsql_information_is_quiet_by_default_and_configuration_can_turn_it_on()
    {
        var (quiet, _) = await StartAppAsync();
        var (loud, _) = await StartAppAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Npgsql"] = "Debug" });
        await using (quiet)
        await using (loud)
        {
            var quietFactory = quiet.Services.GetRequiredService<ILoggerFactory>();
            var loudFactory = loud.Services.GetRequiredService<ILoggerFactory>();

            Assert.False(quietFactory.CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Information));
            Assert.False(quietFactory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
            Assert.True(quietFactory.CreateLogger("ImsCrawler.Api.Ingest").IsEnabled(LogLevel.Information));
            Assert.True(loudFactory.CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Debug));
        }
    }

    private static async Task<(WebApplication App, ConcurrentQueue<(string Category, string Message)> Lines)> StartAppAsync(
        Dictionary<string, string?>? settings = null)
    {
        var lines = new ConcurrentQueue<(string, string)>();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new CollectingProvider(lines));

        var app = builder.Build();
        app.UseRequestLog();
        app.MapDefaultEndpoints();
        app.MapGet("/api/ping", () => Results.Ok("pong"));
        await app.StartAsync();
        return (app, lines);
    }

    private sealed class CollectingProvider(ConcurrentQueue<(string, string)> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // Only what a request itself writes; the host's start and stop lines are not per request.
                if (category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || category.StartsWith("Npgsql", StringComparison.Ordinal))
                    lines.Enqueue((category, formatter(state, exception)));
            }
        }
    }
}
