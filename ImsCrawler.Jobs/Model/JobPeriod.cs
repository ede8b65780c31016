using System.Globalization;
using ImsCrawler.Shared.Jobs;

namespace ImsCrawler.Jobs.Model;

/// <summary>
/// The slice of time one run covers, with its key in job_runs: a day <c>2024-03-14</c>, a month
/// <c>2024-03</c>, or the scheduled minute <c>2024-03-17T04:00</c> (in the jobs' time zone).
/// </summary>
public sealed record JobPeriod(string Key, DateTimeOffset From, DateTimeOffset? To)
{
    public DateOnly Day => PeriodKeys.TryParseDay(Key, out var day) ? day : throw new InvalidOperationException($"{Key} is not a day.");

    public (int Year, int Month) Month => PeriodKeys.TryParseMonth(Key, out var first)
        ? (first.Year, first.Month)
        : throw new InvalidOperationException($"{Key} is not a month.");

    public static JobPeriod ForDay(DateOnly day, TimeZoneInfo zone) =>
        new(PeriodKeys.Day(day), StartOf(day, zone), StartOf(day.AddDays(1), zone));

    public static JobPeriod ForMonth(DateOnly anyDayOfMonth, TimeZoneInfo zone)
    {
        var first = new DateOnly(anyDayOfMonth.Year, anyDayOfMonth.Month, 1);
        return new(PeriodKeys.Month(first), StartOf(first, zone), StartOf(first.AddMonths(1), zone));
    }

    public static JobPeriod ForOccurrence(DateTimeOffset occurrence, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(occurrence, zone);
        return new(local.ToString(PeriodKeys.OccurrenceFormat, CultureInfo.InvariantCulture), occurrence, null);
    }

    /// <summary>
    /// The period a run at <paramref name="instant"/> works on by default: the previous day, the
    /// previous month, or the occurrence itself (to the minute).
    /// </summary>
    public static JobPeriod DefaultFor(PeriodKind kind, DateTimeOffset instant, TimeZoneInfo zone)
    {
        var today = LocalDay(instant, zone);
        return kind switch
        {
            PeriodKind.Day => ForDay(today.AddDays(-1), zone),
            PeriodKind.Month => ForMonth(today.AddMonths(-1), zone),
            _ => ForOccurrence(TruncateToMinute(instant), zone),
        };
    }

    /// <summary>Reads a requested period key; null with an error message when it is not one of this kind, or not over yet.</summary>
    public static JobPeriod? TryParse(PeriodKind kind, string key, DateTimeOffset now, TimeZoneInfo zone, out string? error)
    {
        var read = PeriodKeys.TryRead(kind, key, LocalDay(now, zone), zone.Id, out error);
        if (read is null)
            return null;
        return kind == PeriodKind.Day && PeriodKeys.TryParseDay(read, out var day) ? ForDay(day, zone)
            : PeriodKeys.TryParseMonth(read, out var month) ? ForMonth(month, zone)
            : null;
    }

    public static DateOnly LocalDay(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A midnight that a DST jump skips starts the day at the first valid minute.
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTimeOffset TruncateToMinute(DateTimeOffset instant) =>
        new(instant.Ticks - instant.Ticks % TimeSpan.TicksPerMinute, instant.Offset);
}
