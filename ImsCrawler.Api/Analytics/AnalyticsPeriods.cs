using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Search;

namespace ImsCrawler.Api.Analytics;

/// <summary>The date ranges of the analytics endpoints: <c>from</c>..<c>to</c> inclusive, in days or months, at most a year.</summary>
public static class AnalyticsPeriods
{
    public const int MaxRangeDays = 366;
    public const int DefaultDays = 30;

    /// <summary>Days <c>yyyy-MM-dd</c>; by default the last <see cref="DefaultDays"/> days up to today (UTC).</summary>
    public static (DateOnly From, DateOnly To) Days(RequestErrors errors, string? fromText, string? toText)
    {
        var to = QueryParameters.Day(errors, "to", toText) ?? DateOnly.FromDateTime(DateTime.UtcNow);
        // Defaults stop at the calendar's first day (to=0001-01-05 is a valid, if empty, range).
        var from = QueryParameters.Day(errors, "from", fromText)
                   ?? DateOnly.FromDayNumber(Math.Max(0, to.DayNumber - (DefaultDays - 1)));
        QueryParameters.Range(errors, from, to, MaxRangeDays);
        return (from, to);
    }

    /// <summary>Months <c>yyyy-MM</c> as their first days; by default the 12 months up to this one (UTC).</summary>
    public static (DateOnly From, DateOnly To) Months(RequestErrors errors, string? fromText, string? toText)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var to = QueryParameters.Month(errors, "to", toText) ?? new DateOnly(today.Year, today.Month, 1);
        var from = QueryParameters.Month(errors, "from", fromText) ?? AddMonths(to, -11);
        if (from > to)
            errors.Add("from", "from must not be after to.");
        else if (LastDayOf(to).DayNumber + 1 - from.DayNumber > MaxRangeDays)
            errors.Add("to", $"The range from..to must be at most {MaxRangeDays} days (12 months).");
        return (from, to);
    }

    public static DateOnly LastDayOf(DateOnly month) => new(month.Year, month.Month, DateTime.DaysInMonth(month.Year, month.Month));

    /// <summary>The first of the month <paramref name="months"/> after <paramref name="month"/>'s, kept within years 1-9999.</summary>
    private static DateOnly AddMonths(DateOnly month, int months)
    {
        var index = Math.Clamp(month.Year * 12 + month.Month - 1 + months, 12, 9999 * 12 + 11);
        return new DateOnly(index / 12, index % 12 + 1, 1);
    }
}
