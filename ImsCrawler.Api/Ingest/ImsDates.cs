using System.Globalization;

namespace ImsCrawler.Api.Ingest;

/// <summary>
/// IMS shows dates as zone-less server local time in a few layouts (<c>2024-01-15</c>,
/// <c>2024-01-15 10:23</c>, <c>2024/01/15 10:23:45</c>, <c>2024.01.15</c>, ISO with <c>T</c>);
/// they are read in the configured zone. A text that carries its own offset keeps it.
/// </summary>
public static class ImsDates
{
    private static readonly string[] LocalFormats = BuildFormats();

    private static string[] BuildFormats()
    {
        var formats = new List<string>();
        foreach (var date in new[] { "yyyy-MM-dd", "yyyy/MM/dd", "yyyy.MM.dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd" })
        {
            formats.Add(date);
            foreach (var separator in new[] { " ", "'T'" })
                foreach (var time in new[] { "H:mm", "H:mm:ss", "H:mm:ss.FFFFFFF" })
                    formats.Add(date + separator + time);
        }
        return [.. formats];
    }

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
            return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The instant (UTC) a crawled date text means, or null when it cannot be read.</summary>
    public static DateTime? Parse(string text, TimeZoneInfo zone)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            return null;
        if (DateTime.TryParseExact(trimmed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            // A local time skipped by a DST jump does not exist; read it with the standard offset.
            var offset = zone.IsInvalidTime(unspecified) ? zone.BaseUtcOffset : zone.GetUtcOffset(unspecified);
            return Representable(unspecified.Ticks - offset.Ticks);
        }
        // Only texts that say their offset (2024-01-15T10:23:45+09:00, ...Z) are taken as they are.
        if (HasExplicitOffset(trimmed)
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            return Representable(withOffset.UtcTicks);
        return null;
    }

    /// <summary>
    /// The UTC instant of <paramref name="utcTicks"/>, or null at the calendar's edges: year 1 or 9999 read in a zone
    /// can fall outside DateTime, and DateTime.MinValue / MaxValue would be written as -infinity / infinity.
    /// </summary>
    private static DateTime? Representable(long utcTicks) =>
        utcTicks > DateTime.MinValue.Ticks && utcTicks < DateTime.MaxValue.Ticks ? new DateTime(utcTicks, DateTimeKind.Utc) : null;

    private static bool HasExplicitOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z')
        || (text.Length > 6 && (text[^6] is '+' or '-') && text[^3] == ':');
}
