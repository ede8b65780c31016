using System.Globalization;
using ImsCrawler.Jobs.Definitions;

namespace ImsCrawler.Jobs.Running;

/// <summary>
/// The slice of time one run covers, with its key in job_runs: a day <c>2024-03-14</c>, a month
/// <c>2024-03</c>, or the scheduled minute <c>2024-03-17T04:00</c> (in the jobs' time zone).
/// </summary>
public sealed record JobPeriod(string Key, DateTimeOffset From, DateTimeOffset? To)
{
    public const string DayFormat = "yyyy-MM-dd";
    public const string MonthFormat = "yyyy-MM";
    public const string OccurrenceFormat = "yyyy-MM-dd'T'HH:mm";

    public DateOnly Day => DateOnly.ParseExact(Key, DayFormat, CultureInfo.InvariantCulture);

    public (int Year, int Month) Month
    {
        get
        {
            var first = DateOnly.ParseExact(Key, MonthFormat, CultureInfo.InvariantCulture);
            return (first.Year, first.Month);
        }
    }

    public static JobPeriod ForDay(DateOnly day, TimeZoneInfo zone) =>
        new(day.ToString(DayFormat, CultureInfo.InvariantCulture), StartOf(day, zone), StartOf(day.AddDays(1), zone));

    public static JobPeriod ForMonth(DateOnly anyDayOfMonth, TimeZoneInfo zone)
    {
        var first = new DateOnly(anyDayOfMonth.Year, anyDayOfMonth.Month, 1);
        return new(first.ToString(MonthFormat, CultureInfo.InvariantCulture), StartOf(first, zone), StartOf(first.AddMonths(1), zone));
    }

    public static JobPeriod ForOccurrence(DateTimeOffset occurrence, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(occurrence, zone);
        return new(local.ToString(OccurrenceFormat, CultureInfo.InvariantCulture), occurrence, null);
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
        error = null;
        var today = LocalDay(now, zone);
        switch (kind)
        {
            case PeriodKind.Day when DateOnly.TryParseExact(key, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                if (day < today)
                    return ForDay(day, zone);
                error = $"Day {key} is not over yet in {zone.Id}; the latest day is {today.AddDays(-1).ToString(DayFormat, CultureInfo.InvariantCulture)}.";
                return null;
            case PeriodKind.Month when DateOnly.TryParseExact(key, MonthFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var month):
                if (month < new DateOnly(today.Year, today.Month, 1))
                    return ForMonth(month, zone);
                error = $"Month {key} is not over yet in {zone.Id}.";
                return null;
            case PeriodKind.Day:
                error = $"'{key}' is not a day (yyyy-MM-dd).";
                return null;
            case PeriodKind.Month:
                error = $"'{key}' is not a month (yyyy-MM).";
                return null;
            default:
                error = "This job takes no period.";
                return null;
        }
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
