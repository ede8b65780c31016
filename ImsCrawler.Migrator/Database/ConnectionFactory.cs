using System.Net.Sockets;
using ImsCrawler.Shared.Database;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace ImsCrawler.Migrator.Database;

/// <summary>
/// Opens unpooled connections (the Migrator opens few, and a pooled idle connection would keep a
/// database busy after the run), retrying while the server is still starting or refuses connections.
/// </summary>
public sealed class ConnectionFactory
{
    public const string MaintenanceDatabase = "postgres";

    private readonly NpgsqlConnectionStringBuilder settings;
    private readonly ResiliencePipeline retry;

    public ConnectionFactory(string connectionString, ConnectRetryOptions retryOptions, ILogger logger)
    {
        settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, IncludeFailedBatchedCommand = true };
        retry = BuildRetryPipeline(retryOptions, logger);
    }

    public string DatabaseName => settings.Database ?? throw new InvalidOperationException("The connection string names no database.");

    public Task<NpgsqlConnection> OpenTargetAsync(CancellationToken ct) => OpenAsync(DatabaseName, ct);

    public Task<NpgsqlConnection> OpenMaintenanceAsync(CancellationToken ct) => OpenAsync(MaintenanceDatabase, ct);

    public async Task<NpgsqlConnection> OpenAsync(string database, CancellationToken ct)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Database = database }.ConnectionString;
        return await retry.ExecuteAsync(async token =>
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(token);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }, ct);
    }

    /// <summary>What the connect retry waits out: <see cref="TransientFaults"/>, the services' definition too.</summary>
    public static bool IsTransient(Exception exception) => TransientFaults.IsTransient(exception);

    private static ResiliencePipeline BuildRetryPipeline(ConnectRetryOptions options, ILogger logger) =>
        options.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(IsTransient),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                OnRetry = arguments =>
                {
                    logger.LogWarning("Cannot connect to PostgreSQL yet ({Reason}); retry {Attempt} of {MaxAttempts} in {Delay} ms",
                        arguments.Outcome.Exception?.Message, arguments.AttemptNumber + 1, options.MaxRetries, (int)arguments.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .Build();
}

/// <summary>How often and how patiently to retry transient connection failures (exponential backoff).</summary>
public sealed record ConnectRetryOptions(int MaxRetries, TimeSpan FirstDelay)
{
    public static ConnectRetryOptions Default { get; } = new(MaxRetries: 6, FirstDelay: TimeSpan.FromMilliseconds(500));

    public static ConnectRetryOptions None { get; } = new(MaxRetries: 0, FirstDelay: TimeSpan.Zero);
}
