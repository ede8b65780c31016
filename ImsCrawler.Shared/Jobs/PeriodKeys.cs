using System.Globalization;

namespace ImsCrawler.Shared.Jobs;

/// <summary>
/// The period keys of job runs and run-now requests: a day <c>2024-03-14</c>, a month <c>2024-03</c>, or a
/// scheduled minute <c>2024-03-17T04:00</c>, in the jobs' time zone. A requested day or month must be over.
/// </summary>
public static class PeriodKeys
{
    public const string DayFormat = "yyyy-MM-dd";
    public const string MonthFormat = "yyyy-MM";
    public const string OccurrenceFormat = "yyyy-MM-dd'T'HH:mm";

    public static string Day(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static string Month(DateOnly anyDayOfMonth) => anyDayOfMonth.ToString(MonthFormat, CultureInfo.InvariantCulture);

    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static bool TryParseMonth(string? text, out DateOnly firstDay) =>
        DateOnly.TryParseExact(text, MonthFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out firstDay);

    /// <summary>
    /// Reads a requested period of a job of <paramref name="kind"/>, given today in the jobs' zone: the key, or null
    /// with why not (<paramref name="error"/>) when it is not written as the kind's key or is not over yet.
    /// </summary>
    public static string? TryRead(PeriodKind kind, string text, DateOnly today, string zoneName, out string? error)
    {
        error = null;
        switch (kind)
        {
            case PeriodKind.Day when TryParseDay(text, out var day):
                if (day < today)
                    return Day(day);
                error = $"{text} is not over yet in {zoneName}: the latest day is {Day(today.AddDays(-1))}.";
                return null;
            case PeriodKind.Month when TryParseMonth(text, out var month):
                if (month < new DateOnly(today.Year, today.Month, 1))
                    return Month(month);
                error = $"{text} is not over yet in {zoneName}: the latest month is {Month(today.AddMonths(-1))}.";
                return null;
            case PeriodKind.Day:
                error = $"'{text}' is not a day written yyyy-MM-dd, e.g. 2024-03-14.";
                return null;
            case PeriodKind.Month:
                error = $"'{text}' is not a month written yyyy-MM, e.g. 2024-03.";
                return null;
            default:
                error = "This job takes no period.";
                return null;
        }
    }

    /// <summary>The lower-case name of a kind as job_schedules.period_kind holds it ("day", "month", "occurrence").</summary>
    public static string Name(PeriodKind kind) => kind.ToString().ToLowerInvariant();

    public static PeriodKind? Parse(string? name) =>
        Enum.TryParse<PeriodKind>(name, ignoreCase: true, out var kind) ? kind : null;
}
