using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Scheduling;
using ImsCrawler.Shared.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImsCrawler.Jobs.Requests;

/// <summary>
/// Runs "run now" requests (rows of ims.job_requests): LISTENs on channel <see cref="Channel"/> (a trigger
/// notifies on every insert) and polls every Jobs:RequestPollInterval in case a notification was missed.
/// Each request is claimed by exactly one instance (FOR UPDATE SKIP LOCKED), then run as a manual run.
/// </summary>
public sealed class JobRequestListener(
    NpgsqlDataSource dataSource,
    JobCatalog catalog,
    JobRunner runner,
    JobRunStore store,
    IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<JobRequestListener> logger) : BackgroundService
{
    public const string Channel = "ims_jobs";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (NpgsqlException exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Listening for job requests failed; reconnecting in {Delay}", ReconnectDelay);
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        await connection.ExecuteAsync($"LISTEN {Channel}");
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunPendingAsync(stoppingToken);
            await connection.WaitAsync(options.Value.RequestPollInterval, stoppingToken);
        }
    }

    private async Task RunPendingAsync(CancellationToken stoppingToken)
    {
        while (await ClaimNextAsync(stoppingToken) is { } request)
            await RunAsync(request, stoppingToken);
    }

    private async Task RunAsync(JobRequest request, CancellationToken stoppingToken)
    {
        if (catalog.Find(request.JobName) is not { } job)
        {
            logger.LogWarning("Job request {RequestId} names an unknown job '{Job}'; ignored", request.RequestId, request.JobName);
            return;
        }
        logger.LogInformation("Job request {RequestId} by {RequestedBy}: {Job} {Period}",
            request.RequestId, request.RequestedBy, request.JobName, request.PeriodKey ?? "(default period)");
        var now = timeProvider.GetUtcNow();
        var zone = options.Value.FindTimeZone();
        string? error = null;
        var period = request.PeriodKey is null
            ? JobPeriod.DefaultFor(job.Definition.PeriodKind, now, zone)
            : JobPeriod.TryParse(job.Definition.PeriodKind, request.PeriodKey, now, zone, out error);
        if (period is null)
        {
            // Only a request written by hand gets here: the API checks the period first.
            var key = request.PeriodKey ?? "";
            await store.InsertAsync(job.Definition, new JobPeriod(key[..Math.Min(20, key.Length)], now, null),
                JobTrigger.Manual, request.RequestId, JobRunStatus.Failed, error, stoppingToken);
            return;
        }
        await runner.RunAsync(job, period, JobTrigger.Manual, request.RequestId, stoppingToken);
    }

    private async Task<JobRequest?> ClaimNextAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        return await connection.QuerySingleOrDefaultAsync<JobRequest>(new CommandDefinition("""
            update ims.job_requests r set picked_at = now(), picked_by = @Instance
            where r.request_id = (select request_id from ims.job_requests
                                  where picked_at is null order by request_id
                                  for update skip locked limit 1)
            returning r.request_id as RequestId, r.job_name as JobName, r.period_key as PeriodKey, r.requested_by as RequestedBy
            """, new { JobRunStore.Instance }, cancellationToken: stoppingToken));
    }

    private sealed record JobRequest(long RequestId, string JobName, string? PeriodKey, string RequestedBy);
}
