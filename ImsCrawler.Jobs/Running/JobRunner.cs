using System.Diagnostics;
using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Registry;

namespace ImsCrawler.Jobs.Running;

public sealed record JobRunResult(long RunId, JobRunStatus Status, long? RowsAffected, string? Error);

/// <summary>
/// Runs one period of one job: under the job's advisory lock (another instance holding it means
/// "skipped: running elsewhere"), recorded in ims.job_runs, with the job's timeout and transient-fault retries.
/// </summary>
public sealed class JobRunner(
    NpgsqlDataSource dataSource,
    JobRunStore store,
    JobTelemetry telemetry,
    ResiliencePipelineProvider<string> pipelines,
    IOptions<JobsOptions> options,
    ILogger<JobRunner> logger)
{
    /// <summary>'IMSJ' in ASCII: the first half of every job's advisory-lock key (the second is the job's own).</summary>
    public const int LockNamespace = 0x494D534A;

    public const string RunningElsewhere = "skipped: running elsewhere";

    public async Task<JobRunResult> RunAsync(IJob job, JobPeriod period, JobTrigger trigger, long? requestId,
        CancellationToken cancellationToken)
    {
        var definition = job.Definition;
        using var activity = telemetry.StartRun(definition, period, trigger);
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await TryLockAsync(lockConnection, definition, cancellationToken))
            return await SkipAsync(definition, period, trigger, requestId, RunningElsewhere, activity, cancellationToken);
        try
        {
            if (await store.FailInterruptedAsync(definition.Name, cancellationToken) is > 0 and var interrupted)
                logger.LogWarning("Job {Job}: {Count} earlier run(s) were interrupted before recording a result; marked failed",
                    definition.Name, interrupted);
            if (trigger != JobTrigger.Manual
                && await store.SucceededRunIdAsync(definition.Name, period.Key, cancellationToken) is { } doneIn)
                return await SkipAsync(definition, period, trigger, requestId, $"skipped: already succeeded in run {doneIn}", activity, cancellationToken);
            return await RunLockedAsync(job, period, trigger, requestId, activity, cancellationToken);
        }
        finally
        {
            await UnlockAsync(lockConnection, definition);
        }
    }

    private async Task<JobRunResult> RunLockedAsync(IJob job, JobPeriod period, JobTrigger trigger, long? requestId,
        Activity? activity, CancellationToken cancellationToken)
    {
        var definition = job.Definition;
        var runId = await store.InsertAsync(definition, period, trigger, requestId, JobRunStatus.Running, null, cancellationToken);
        logger.LogInformation("Job {Job} run {RunId} for {Period} ({Trigger}) started", definition.Name, runId, period.Key, trigger);
        var stopwatch = Stopwatch.StartNew();
        var (outcome, error) = await ExecuteAsync(job, period, cancellationToken);
        var status = error is null ? JobRunStatus.Succeeded : JobRunStatus.Failed;

        // Recorded even when the service is stopping, and through a database outage within the retry budget, so no run
        // stays 'running'; past the budget, the next run of the job marks it failed (FailInterruptedAsync).
        try
        {
            await pipelines.GetPipeline(JobResilience.PipelineName).ExecuteAsync(async token =>
                await store.FinishAsync(runId, status, outcome?.RowsAffected, error, outcome?.Details, token), CancellationToken.None);
        }
        catch (NpgsqlException exception)
        {
            logger.LogError(exception, "Job {Job} run {RunId} ended ({Status}) but could not be recorded; the next run marks it failed",
                definition.Name, runId, status);
            status = JobRunStatus.Failed;
            error ??= JobRunStore.Interrupted;
        }
        telemetry.Record(activity, definition, status, stopwatch.Elapsed, error);
        LogFinished(definition, runId, period, status, outcome, error, stopwatch.Elapsed);
        cancellationToken.ThrowIfCancellationRequested();
        return new JobRunResult(runId, status, outcome?.RowsAffected, error);
    }

    private async Task<(JobOutcome? Outcome, string? Error)> ExecuteAsync(IJob job, JobPeriod period, CancellationToken cancellationToken)
    {
        var timeout = options.Value.For(job.Definition).Timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var pipeline = pipelines.GetPipeline(JobResilience.PipelineName);
        try
        {
            var outcome = await pipeline.ExecuteAsync(async token => await job.RunAsync(period, token), deadline.Token);
            return (outcome, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, "cancelled: the Jobs service is stopping");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (null, $"timed out after {timeout} (Jobs:{job.Definition.Section}:Timeout)");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.LogError(exception, "Job {Job} failed for {Period}", job.Definition.Name, period.Key);
            return (null, Describe(exception));
        }
    }

    private async Task<JobRunResult> SkipAsync(JobDefinition job, JobPeriod period, JobTrigger trigger, long? requestId,
        string reason, Activity? activity, CancellationToken cancellationToken)
    {
        var runId = await store.InsertAsync(job, period, trigger, requestId, JobRunStatus.Skipped, reason, cancellationToken);
        telemetry.Record(activity, job, JobRunStatus.Skipped, TimeSpan.Zero, reason);
        logger.LogInformation("Job {Job} for {Period}: {Reason}", job.Name, period.Key, reason);
        return new JobRunResult(runId, JobRunStatus.Skipped, null, reason);
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, JobDefinition job, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select pg_try_advisory_lock(@LockNamespace, @LockKey)", new { LockNamespace, job.LockKey },
            cancellationToken: cancellationToken));

    private async Task UnlockAsync(NpgsqlConnection connection, JobDefinition job)
    {
        try
        {
            await connection.ExecuteAsync("select pg_advisory_unlock(@LockNamespace, @LockKey)", new { LockNamespace, job.LockKey });
        }
        catch (NpgsqlException exception)
        {
            // The lock ends with the session anyway: a broken connection is not returned to the pool.
            logger.LogWarning(exception, "Could not release the advisory lock of job {Job}", job.Name);
        }
    }

    private void LogFinished(JobDefinition job, long runId, JobPeriod period, JobRunStatus status, JobOutcome? outcome,
        string? error, TimeSpan elapsed)
    {
        if (status == JobRunStatus.Succeeded)
            logger.LogInformation("Job {Job} run {RunId} for {Period} succeeded in {Elapsed}: {Rows} rows",
                job.Name, runId, period.Key, elapsed, outcome?.RowsAffected);
        else
            logger.LogWarning("Job {Job} run {RunId} for {Period} failed after {Elapsed}: {Error}", job.Name, runId, period.Key, elapsed, error);
    }

    private static string Describe(Exception exception) => exception switch
    {
        PostgresException postgres => $"{postgres.SqlState}: {postgres.MessageText}",
        _ => exception.Message,
    };
}
