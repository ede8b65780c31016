using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Shared.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImsCrawler.Jobs.Scheduling;

/// <summary>
/// Publishes every job's schedule to ims.job_schedules, catches up the missed periods of the day and month
/// jobs, then runs each enabled job at its cron occurrences (a day or month job also runs any still-missed
/// periods of its window) and publishes its next run after each occurrence.
/// </summary>
public sealed class JobScheduler(
    JobCatalog catalog,
    JobRunner runner,
    CatchUpPlanner planner,
    JobRunStore store,
    NpgsqlDataSource dataSource,
    IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<JobScheduler> logger) : BackgroundService
{
    // Long waits are cut into slices so a changed clock (or a test's fake one) is noticed.
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private JobsOptions Settings => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WarnOnTimeZoneMismatchAsync(stoppingToken);
        foreach (var job in catalog.Jobs)
            await GuardAsync(job, () => PublishScheduleAsync(job.Definition, stoppingToken), stoppingToken);
        var enabled = catalog.Jobs.Where(job => Settings.For(job.Definition).Enabled);
        await Task.WhenAll(enabled.Select(job => RunJobAsync(job, stoppingToken)));
    }

    private async Task RunJobAsync(IJob job, CancellationToken stoppingToken)
    {
        if (job.Definition.PeriodKind != PeriodKind.Occurrence)
            await GuardAsync(job, () => RunMissedPeriodsAsync(job, timeProvider.GetUtcNow(), scheduled: false, stoppingToken), stoppingToken);

        var schedule = ScheduleOf(job.Definition);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (schedule.NextAfter(timeProvider.GetUtcNow()) is not { } occurrence)
                return;
            await WaitUntilAsync(occurrence, stoppingToken);
            await GuardAsync(job, () => RunOccurrenceAsync(job, occurrence, stoppingToken), stoppingToken);
            await GuardAsync(job, () => PublishScheduleAsync(job.Definition, stoppingToken), stoppingToken);
        }
    }

    private Task RunOccurrenceAsync(IJob job, DateTimeOffset occurrence, CancellationToken stoppingToken) =>
        job.Definition.PeriodKind == PeriodKind.Occurrence
            ? runner.RunAsync(job, JobPeriod.ForOccurrence(occurrence, Settings.FindTimeZone()), JobTrigger.Schedule, null, stoppingToken)
            : RunMissedPeriodsAsync(job, occurrence, scheduled: true, stoppingToken);

    /// <summary>Runs every missed period oldest first; on a schedule the latest one counts as scheduled, the rest as catch-up.</summary>
    private async Task RunMissedPeriodsAsync(IJob job, DateTimeOffset instant, bool scheduled, CancellationToken stoppingToken)
    {
        var missed = await planner.MissedPeriodsAsync(job.Definition, instant, stoppingToken);
        var latest = JobPeriod.DefaultFor(job.Definition.PeriodKind, instant, Settings.FindTimeZone()).Key;
        if (missed.Count > 0)
            logger.LogInformation("Job {Job}: running {Count} period(s) {First} .. {Last}",
                job.Definition.Name, missed.Count, missed[0].Key, missed[^1].Key);
        foreach (var period in missed)
        {
            var trigger = scheduled && period.Key == latest ? JobTrigger.Schedule : JobTrigger.CatchUp;
            await runner.RunAsync(job, period, trigger, null, stoppingToken);
        }
    }

    private async Task PublishScheduleAsync(JobDefinition job, CancellationToken stoppingToken)
    {
        var settings = Settings.For(job);
        var schedule = ScheduleOf(job);
        var next = settings.Enabled ? schedule.NextAfter(timeProvider.GetUtcNow()) : null;
        await store.PublishScheduleAsync(job, settings.Schedule, schedule.Zone, settings.Enabled, next, stoppingToken);
    }

    private JobSchedule ScheduleOf(JobDefinition job) => JobSchedule.Parse(Settings.For(job).Schedule, Settings.FindTimeZone());

    private async Task WaitUntilAsync(DateTimeOffset when, CancellationToken stoppingToken)
    {
        for (var remaining = when - timeProvider.GetUtcNow(); remaining > TimeSpan.Zero; remaining = when - timeProvider.GetUtcNow())
            await Task.Delay(remaining < LongestWait ? remaining : LongestWait, timeProvider, stoppingToken);
    }

    /// <summary>Keeps a job's schedule alive when one occurrence fails outside the runner (e.g. the database is down).</summary>
    private async Task GuardAsync(IJob job, Func<Task> work, CancellationToken stoppingToken)
    {
        try
        {
            await work();
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is not OutOfMemoryException)
        {
            logger.LogError(exception, "Job {Job} could not be run; it stays scheduled", job.Definition.Name);
        }
    }

    private async Task WarnOnTimeZoneMismatchAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
            var statsZone = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "select ims.stats_time_zone()", cancellationToken: stoppingToken));
            if (!string.Equals(statsZone, Settings.FindTimeZone().Id, StringComparison.OrdinalIgnoreCase))
                logger.LogWarning(
                    "Jobs:TimeZone is {JobsZone} but the database counts days in ims.stats_time_zone() = {StatsZone}; " +
                    "'the previous day' of a schedule and the day the aggregation counts may differ", Settings.TimeZone, statsZone);
        }
        catch (NpgsqlException exception)
        {
            logger.LogWarning(exception, "Could not read ims.stats_time_zone()");
        }
    }
}
