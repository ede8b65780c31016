using System.Globalization;
using System.Text.RegularExpressions;

namespace ImsCrawler.Api.Ingest;

/// <summary>IMS shows attachment sizes as text: "12.3 KB", "1,024 bytes", "2MB", "512". Units are binary (1 KB = 1024 bytes).</summary>
public static partial class FileSizes
{
    [GeneratedRegex(@"^\s*(?<number>\d[\d,]*(?:\.\d+)?)\s*(?<unit>bytes?|b|kb|kib|k|mb|mib|m|gb|gib|g|tb|tib|t)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    public static long? Parse(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success)
            return null;
        if (!decimal.TryParse(match.Groups["number"].Value.Replace(",", "", StringComparison.Ordinal),
                NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return null;
        var multiplier = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "" or "b" or "byte" or "bytes" => 1m,
            "k" or "kb" or "kib" => 1024m,
            "m" or "mb" or "mib" => 1024m * 1024,
            "g" or "gb" or "gib" => 1024m * 1024 * 1024,
            _ => 1024m * 1024 * 1024 * 1024,
        };
        var bytes = number * multiplier;
        return bytes > long.MaxValue ? null : (long)Math.Round(bytes, MidpointRounding.AwayFromZero);
    }
}
