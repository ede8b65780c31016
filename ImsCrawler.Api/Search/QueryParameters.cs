using System.Globalization;
using ImsCrawler.Api.Identity;

namespace ImsCrawler.Api.Search;

/// <summary>Validation of query-string parameters shared by the read endpoints (search, issues, sessions, analytics).
/// One name per concept: a date range is <c>from</c>/<c>to</c>, a page size <c>limit</c>.</summary>
public static class QueryParameters
{
    /// <summary>Text without control characters or unpaired surrogates (PostgreSQL and UTF-8 accept neither).</summary>
    public static bool IsPrintable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
                return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>An optional text filter: trimmed, empty means absent, at most <paramref name="maxLength"/>, printable.</summary>
    public static string? Text(RequestErrors errors, string field, string? value, int maxLength)
    {
        if (value is null || string.IsNullOrWhiteSpace(value))
            return null;
        value = value.Trim();
        if (value.Length > maxLength)
            errors.Add(field, $"{field} must be at most {maxLength} characters.");
        else if (!IsPrintable(value))
            errors.Add(field, $"{field} must not contain control characters.");
        return value;
    }

    /// <summary>A limit between 1 and <paramref name="max"/>, <paramref name="fallback"/> when absent.</summary>
    public static int Limit(RequestErrors errors, int? value, int fallback, int max)
    {
        if (value is null)
            return fallback;
        if (value < 1 || value > max)
            errors.Add("limit", $"limit must be between 1 and {max}.");
        return value.Value;
    }

    /// <summary>
    /// An instant: ISO 8601 date (<c>2024-03-14</c>, midnight UTC) or date and time with an offset
    /// (<c>2024-03-14T09:00:00+09:00</c>; none means UTC).
    /// </summary>
    public static DateTimeOffset? Instant(RequestErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
            return instant;
        errors.Add(field, $"{field} must be an ISO 8601 date (2024-03-14) or date and time (2024-03-14T09:00:00Z).");
        return null;
    }

    /// <summary>A calendar day <c>yyyy-MM-dd</c>.</summary>
    public static DateOnly? Day(RequestErrors errors, string field, string? value) =>
        Calendar(errors, field, value, "yyyy-MM-dd", "a date like 2024-03-14");

    /// <summary>A month <c>yyyy-MM</c>, as its first day.</summary>
    public static DateOnly? Month(RequestErrors errors, string field, string? value) =>
        Calendar(errors, field, value, "yyyy-MM", "a month like 2024-03");

    private static DateOnly? Calendar(RequestErrors errors, string field, string? value, string format, string example)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (DateOnly.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        errors.Add(field, $"{field} must be {example}.");
        return null;
    }

    /// <summary>The range <c>from</c> (inclusive) to <c>to</c> (exclusive) as instants, each optional; from ≤ to.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) InstantRange(RequestErrors errors, string? fromText, string? toText)
    {
        var from = Instant(errors, "from", fromText);
        var to = Instant(errors, "to", toText);
        if (from > to)
            errors.Add("from", "from must not be after to.");
        return (from, to);
    }

    public static void Range(RequestErrors errors, DateOnly? from, DateOnly? to, int maxDays)
    {
        if (from is null || to is null)
            return;
        if (from > to)
            errors.Add("from", "from must not be after to.");
        else if (to.Value.DayNumber - from.Value.DayNumber + 1 > maxDays)
            errors.Add("to", $"The range from..to must be at most {maxDays} days.");
    }
}
