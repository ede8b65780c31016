using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Shared.Jobs;
using Microsoft.Extensions.Options;

namespace ImsCrawler.Jobs.Scheduling;

/// <summary>
/// Which periods of a day or month job still need a run. The window ends at the period a run at that
/// instant covers by default (yesterday, last month) and reaches back Jobs:CatchUpDays days (Jobs:CatchUpMonths
/// months). Within it, every period without a succeeded run is missed, starting at:
/// the window's start when the job succeeded before it; else the job's first succeeded period; else (no history)
/// the first period with a crawl session in the window; else only the latest period.
/// </summary>
public sealed class CatchUpPlanner(JobRunStore store, IOptions<JobsOptions> options)
{
    public async Task<IReadOnlyList<JobPeriod>> MissedPeriodsAsync(JobDefinition job, DateTimeOffset instant,
        CancellationToken cancellationToken)
    {
        var window = Window(job.PeriodKind, instant);
        var succeeded = await store.SucceededPeriodKeysAsync(job.Name, window[0].Key, cancellationToken);
        var first = await FirstPeriodKeyAsync(job, window, cancellationToken);
        return window
            .Where(period => string.CompareOrdinal(period.Key, first) >= 0 && !succeeded.Contains(period.Key))
            .ToList();
    }

    /// <summary>The periods of the window, oldest first.</summary>
    public IReadOnlyList<JobPeriod> Window(PeriodKind kind, DateTimeOffset instant)
    {
        var settings = options.Value;
        var zone = settings.FindTimeZone();
        var latest = JobPeriod.DefaultFor(kind, instant, zone);
        return kind switch
        {
            PeriodKind.Day => Enumerable.Range(0, settings.CatchUpDays).Reverse()
                .Select(back => JobPeriod.ForDay(latest.Day.AddDays(-back), zone)).ToList(),
            PeriodKind.Month => Enumerable.Range(0, settings.CatchUpMonths).Reverse()
                .Select(back => JobPeriod.ForMonth(MonthStart(latest).AddMonths(-back), zone)).ToList(),
            _ => [latest],
        };
    }

    private async Task<string> FirstPeriodKeyAsync(JobDefinition job, IReadOnlyList<JobPeriod> window, CancellationToken cancellationToken)
    {
        var earliestSuccess = await store.EarliestSucceededKeyAsync(job.Name, cancellationToken);
        if (earliestSuccess is not null)
            return string.CompareOrdinal(earliestSuccess, window[0].Key) < 0 ? window[0].Key : earliestSuccess;

        var firstSession = await store.EarliestSessionSinceAsync(window[0].From, cancellationToken);
        var withSessions = firstSession is { } started ? window.FirstOrDefault(period => period.To > started) : null;
        return (withSessions ?? window[^1]).Key;
    }

    private static DateOnly MonthStart(JobPeriod month)
    {
        var (year, number) = month.Month;
        return new DateOnly(year, number, 1);
    }
}
