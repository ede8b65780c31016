using System.Text.Json;
using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using Npgsql;

namespace ImsCrawler.Jobs.Running;

public enum JobTrigger
{
    Schedule,
    CatchUp,
    Manual,
}

public enum JobRunStatus
{
    Running,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>The job_runs and job_schedules tables of sql/10_jobs.sql.</summary>
public sealed class JobRunStore(NpgsqlDataSource dataSource)
{
    public static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}";

    public static string ToDatabase(JobTrigger trigger) => trigger switch
    {
        JobTrigger.CatchUp => "catch-up",
        JobTrigger.Manual => "manual",
        _ => "schedule",
    };

    public static string ToDatabase(JobRunStatus status) => status.ToString().ToLowerInvariant();

    public async Task<long?> SucceededRunIdAsync(string job, string periodKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            select min(run_id) from ims.job_runs
            where job_name = @job and period_key = @periodKey and status = 'succeeded'
            """, new { job, periodKey }, cancellationToken: cancellationToken));
    }

    /// <summary>The keys of the job's succeeded periods from <paramref name="fromKey"/> on (keys sort like their periods).</summary>
    public async Task<HashSet<string>> SucceededPeriodKeysAsync(string job, string fromKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var keys = await connection.QueryAsync<string>(new CommandDefinition("""
            select distinct period_key from ims.job_runs
            where job_name = @job and status = 'succeeded' and period_key >= @fromKey
            """, new { job, fromKey }, cancellationToken: cancellationToken));
        return keys.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The key of the job's earliest succeeded period, if it ever succeeded.</summary>
    public async Task<string?> EarliestSucceededKeyAsync(string job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select min(period_key) from ims.job_runs where job_name = @job and status = 'succeeded'",
            new { job }, cancellationToken: cancellationToken));
    }

    /// <summary>When the earliest crawl session at or after <paramref name="since"/> started, if any.</summary>
    public async Task<DateTimeOffset?> EarliestSessionSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var started = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "select min(started_at) from ims.crawl_sessions where started_at >= @since",
            new { since = since.UtcDateTime }, cancellationToken: cancellationToken));
        return started is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
    }

    public async Task<long> InsertAsync(JobDefinition job, JobPeriod period, JobTrigger trigger, long? requestId,
        JobRunStatus status, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into ims.job_runs (job_name, period_key, period_from, period_to, trigger, request_id, status,
                                      finished_at, error, instance)
            values (@Name, @Key, @From, @To, @trigger, @requestId, @status,
                    case when @status = 'running' then null else now() end, @error, @Instance)
            returning run_id
            """,
            new
            {
                job.Name, period.Key, From = period.From.UtcDateTime, To = period.To?.UtcDateTime,
                trigger = ToDatabase(trigger), requestId, status = ToDatabase(status), error, Instance,
            }, cancellationToken: cancellationToken));
    }

    public const string Interrupted =
        "interrupted: the run lost its database connection (or its service stopped) before it could record a result";

    /// <summary>
    /// Marks the job's runs still 'running' as failed. Called by the holder of the job's advisory lock: nobody else can
    /// be running the job, so such a run was cut off (its connection and lock died with a database outage, or its
    /// process did) before it could record its end. Its period then counts as missed and is run again.
    /// </summary>
    public async Task<int> FailInterruptedAsync(string job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            update ims.job_runs set status = 'failed', finished_at = now(), error = @Interrupted
            where job_name = @job and status = 'running'
            """, new { job, Interrupted }, cancellationToken: cancellationToken));
    }

    public async Task FinishAsync(long runId, JobRunStatus status, long? rowsAffected, string? error, object? details,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            update ims.job_runs
            set status = @status, finished_at = now(), rows_affected = @rowsAffected, error = @error,
                details = @details::jsonb
            where run_id = @runId
            """,
            new
            {
                runId, status = ToDatabase(status), rowsAffected, error,
                details = details is null ? null : JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
            }, cancellationToken: cancellationToken));
    }

    public async Task PublishScheduleAsync(JobDefinition job, string schedule, TimeZoneInfo zone, bool enabled,
        DateTimeOffset? nextRunAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into ims.job_schedules as s (job_name, description, schedule, time_zone, period_kind, enabled,
                                                next_run_at, updated_at, updated_by)
            values (@Name, @Description, @schedule, @zone, @kind, @enabled, @nextRunAt, now(), @Instance)
            on conflict (job_name) do update set
                description = excluded.description, schedule = excluded.schedule, time_zone = excluded.time_zone,
                period_kind = excluded.period_kind, enabled = excluded.enabled, next_run_at = excluded.next_run_at,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """,
            new
            {
                job.Name, job.Description, schedule, zone = zone.Id, kind = job.PeriodKind.ToString().ToLowerInvariant(),
                enabled, nextRunAt = nextRunAt?.UtcDateTime, Instance,
            }, cancellationToken: cancellationToken));
    }
}
