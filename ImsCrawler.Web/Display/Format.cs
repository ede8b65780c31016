using System.Globalization;

namespace ImsCrawler.Web.Display;

public static class Format
{
    public static string Bytes(long? bytes) => bytes switch
    {
        null => "",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes.Value / 1024.0).ToString("0.#", CultureInfo.CurrentCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes.Value / 1024.0 / 1024).ToString("0.#", CultureInfo.CurrentCulture) + " MB",
        _ => (bytes.Value / 1024.0 / 1024 / 1024).ToString("0.##", CultureInfo.CurrentCulture) + " GB",
    };

    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Percent(long part, long whole) =>
        whole == 0 ? "–" : ((double)part / whole).ToString("P0", CultureInfo.CurrentCulture);

    /// <summary>A yyyy-MM-dd form value, or null.</summary>
    public static DateOnly? Day(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
