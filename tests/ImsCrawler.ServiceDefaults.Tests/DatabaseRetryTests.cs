using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly.Registry;

namespace ImsCrawler.ServiceDefaults.Tests;

public sealed class DatabaseRetryTests
{
    private const string Pipeline = "test-database";

    [Fact]
    public async Task A_refused_connection_is_retried_and_logged_until_it_works()
    {
        var (pipeline, logs) = Build();
        var attempts = 0;

        var result = await pipeline.ExecuteAsync(async token =>
        {
            if (++attempts < 3)
                await OpenAgainstAClosedPortAsync(token);
            return "done";
        });

        Assert.Equal("done", result);
        Assert.Equal(3, attempts);
        Assert.Equal(2, logs.Count(line => line.StartsWith("Warning: Transient database fault (test-database)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_last_transient_failure_surfaces_once_the_retry_budget_is_spent()
    {
        var (pipeline, logs) = Build(budget: TimeSpan.FromMilliseconds(300));
        var attempts = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<NpgsqlException>(() => pipeline.ExecuteAsync(async token =>
        {
            attempts++;
            await OpenAgainstAClosedPortAsync(token);
        }).AsTask());

        Assert.True(attempts >= 2, $"{attempts} attempts");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"gave up after {clock.Elapsed}");
        Assert.Equal(attempts - 1, logs.Count(line => line.Contains("budget 00:00:00.3", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Without_a_configured_budget_a_restart_long_outage_is_retried()
    {
        var (pipeline, _) = Build();
        var attempts = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Fails for about three seconds, as a restarting server would, then works.
        var result = await pipeline.ExecuteAsync(async token =>
        {
            attempts++;
            if (clock.Elapsed < TimeSpan.FromSeconds(3))
                await OpenAgainstAClosedPortAsync(token);
            return "back";
        });

        Assert.Equal("back", result);
        Assert.True(attempts >= 3, $"{attempts} attempts");
        Assert.Equal(TimeSpan.FromSeconds(15), DatabaseRetry.DefaultBudget);
    }

    [Fact]
    public async Task A_non_transient_error_is_not_retried()
    {
        var (pipeline, logs) = Build();
        var attempts = 0;

        await Assert.ThrowsAsync<PostgresException>(() => pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            throw new PostgresException("relation \"ims.nope\" does not exist", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable);
        }).AsTask());

        Assert.Equal(1, attempts);
        Assert.Empty(logs);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure, true)]
    [InlineData(PostgresErrorCodes.DeadlockDetected, true)]
    [InlineData(PostgresErrorCodes.AdminShutdown, true)]
    [InlineData(PostgresErrorCodes.CrashShutdown, true)]
    [InlineData(PostgresErrorCodes.CannotConnectNow, true)]
    [InlineData(PostgresErrorCodes.UniqueViolation, false)]
    [InlineData(PostgresErrorCodes.CharacterNotInRepertoire, false)]
    public void Serialization_failures_deadlocks_and_server_restarts_count_as_transient(string sqlState, bool transient) =>
        Assert.Equal(transient, DatabaseRetry.IsTransient(new PostgresException("m", "ERROR", "ERROR", sqlState)));

    private static (Polly.ResiliencePipeline Pipeline, List<string> Logs) Build(TimeSpan? budget = null)
    {
        var logs = new List<string>();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(budget is { } b ? [new(DatabaseRetry.BudgetSetting, b.ToString())] : [])
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddProvider(new ListLoggerProvider(logs)))
            .AddDatabaseRetryPipeline(Pipeline, TimeSpan.FromMilliseconds(1), typeof(DatabaseRetryTests));
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(Pipeline), logs);
    }

    private static async Task OpenAgainstAClosedPortAsync(CancellationToken token)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={ClosedPort()};Timeout=2;Pooling=false");
        await connection.OpenAsync(token);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;   // closed again when disposed
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);
        public void Dispose() { }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    lock (lines)
                        lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
