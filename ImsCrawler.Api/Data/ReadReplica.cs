using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ImsCrawler.Api.Telemetry;
using Npgsql;

namespace ImsCrawler.Api.Data;

/// <summary>Database:ReadReplica settings: when a streaming replica is too far behind to serve reads.</summary>
public sealed class ReadReplicaOptions
{
    public const string SectionName = "Database:ReadReplica";

    /// <summary>A replica whose replay lags more than this is bypassed for the primary (default 5 s).</summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the replica's state and lag are read (default 1 s).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After a user's transaction wrote, that user's reads go to the primary this long (default: twice <see cref="MaxLag"/>).</summary>
    public TimeSpan? ReadYourWritesWindow { get; set; }
}

/// <summary>
/// The read replica (<c>ConnectionStrings:imsdb-read</c>, a streaming standby) that serves <see cref="UserDatabase.ReadAsync{T}"/>
/// while it is up and close enough to the primary. A background check reads its lag: the time since the last replayed
/// transaction, or 0 when it has replayed all it received (an idle primary sends nothing, which is not lag). A replica
/// that is down or lags more than <see cref="ReadReplicaOptions.MaxLag"/> is bypassed for the primary, with a log line
/// on each change, a metric per read and a Degraded health entry; it is used again once it has caught up. A user whose
/// transaction just wrote reads from the primary for a while, so a crawler sees what it ingested.
/// </summary>
public sealed class ReadReplica : BackgroundService, IHealthCheck
{
    public const string ConnectionName = "imsdb-read";

    private const string LagSql = """
        SELECT pg_is_in_recovery(),
               CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                    ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8
        """;

    private readonly NpgsqlDataSource replica;
    private readonly ReadReplicaOptions options;
    private readonly ILogger<ReadReplica> logger;
    private readonly TimeProvider time;
    private readonly Counter<long> reads;
    private readonly ConcurrentDictionary<int, long> lastWrites = new();
    private volatile string? bypassReason = "not checked yet";
    private double lagSeconds;

    public ReadReplica([FromKeyedServices(ConnectionName)] NpgsqlDataSource replica, IOptions<ReadReplicaOptions> options,
        ILogger<ReadReplica> logger, IMeterFactory meters, TimeProvider? time = null)
    {
        this.replica = replica;
        this.options = options.Value;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
        var meter = meters.Create(ApiTelemetry.Name);
        reads = meter.CreateCounter<long>("ims.db.reads", "{transaction}", "Read-only transactions by the server that served them");
        meter.CreateObservableGauge("ims.db.replica.lag", () => Volatile.Read(ref lagSeconds), "s", "Replay lag of the read replica");
    }

    /// <summary>Why reads go to the primary right now, or null while the replica serves them.</summary>
    public string? BypassReason => bypassReason;

    /// <summary>The replica for <paramref name="user"/>'s read, or null (with the reason counted) when the primary must serve it.</summary>
    public NpgsqlDataSource? For(DatabaseUser user)
    {
        var reason = bypassReason;
        if (reason is null && lastWrites.TryGetValue(user.UserId, out var wroteAt)
            && time.GetElapsedTime(wroteAt) < ReadYourWritesWindow)
            reason = "recent write";
        reads.Add(1, new KeyValuePair<string, object?>("server", reason is null ? "replica" : "primary"),
            new KeyValuePair<string, object?>("reason", reason ?? "none"));
        return reason is null ? replica : null;
    }

    /// <summary>The user's transaction wrote: their next reads see it only on the primary.</summary>
    public void NoteWrite(DatabaseUser user) => lastWrites[user.UserId] = time.GetTimestamp();

    private TimeSpan ReadYourWritesWindow => options.ReadYourWritesWindow ?? options.MaxLag * 2;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await CheckAsync(stoppingToken);
            try
            {
                await Task.Delay(options.CheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads the replica's state once and switches between replica and primary when it changed.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        string? reason;
        try
        {
            await using var connection = await replica.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(LagSql, connection) { CommandTimeout = 5 };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (inRecovery, lag) = (reader.GetBoolean(0), reader.GetDouble(1));
            Volatile.Write(ref lagSeconds, lag);
            reason = !inRecovery ? "not a standby (it was promoted?)"
                : lag > options.MaxLag.TotalSeconds ? $"lags {lag:0.0} s (more than {options.MaxLag.TotalSeconds:0.#} s)"
                : null;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            reason = $"unreachable ({exception.Message})";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        var previous = bypassReason;
        bypassReason = reason;
        if (reason is not null && previous is null)
            logger.LogWarning("Read replica bypassed, reads go to the primary: {Reason}", reason);
        else if (reason is null && previous is not null)
            logger.LogInformation("Read replica serves reads again (lag {Lag:0.0} s)", Volatile.Read(ref lagSeconds));
    }

    Task<HealthCheckResult> IHealthCheck.CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(bypassReason is { } reason
            ? HealthCheckResult.Degraded($"read replica bypassed: {reason}")
            : HealthCheckResult.Healthy($"read replica in use (lag {Volatile.Read(ref lagSeconds):0.0} s)"));
}

public static class ReadReplicaExtensions
{
    /// <summary>
    /// When <c>ConnectionStrings:imsdb-read</c> is set, read-only work goes to that replica (see <see cref="ReadReplica"/>);
    /// its health is reported as Degraded, never Unhealthy, when it is bypassed.
    /// </summary>
    public static IHostApplicationBuilder AddReadReplica(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ReadReplica.ConnectionName)))
            return builder;
        builder.AddKeyedNpgsqlDataSource(ReadReplica.ConnectionName, settings => settings.DisableHealthChecks = true);
        builder.Services.AddOptions<ReadReplicaOptions>().Bind(builder.Configuration.GetSection(ReadReplicaOptions.SectionName));
        builder.Services.AddSingleton<ReadReplica>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReadReplica>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "read-replica", services => services.GetRequiredService<ReadReplica>(), HealthStatus.Degraded, tags: []));
        return builder;
    }
}
