using System.Globalization;
using System.Text.RegularExpressions;

namespace ImsCrawler.Api.Ingest;

/// <summary>IMS shows attachment sizes as text: "12.3 KB", "1,024 bytes", "2MB", "512". Units are binary (1 KB = 1024 bytes).</summary>
public static partial class FileSizes
{
    /// <summary>Longest size text that is read; a longer one is not a size IMS shows.</summary>
    public const int MaxLength = 64;

    // Matched on the trimmed text, so no whitespace run can be split two ways (linear time); the timeout is a backstop.
    [GeneratedRegex(@"^(?<number>\d[\d,]*(?:\.\d+)?)\s*(?<unit>bytes?|b|kb|kib|k|mb|mib|m|gb|gib|g|tb|tib|t)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SizePattern();

    /// <summary>The size in bytes, or null when the text is not a size or the size does not fit in a bigint.</summary>
    public static long? Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > MaxLength)
            return null;
        var match = SizePattern().Match(trimmed);
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
        // Compared before multiplying: number * multiplier can pass decimal's range ("9999999999999999999999999999 KB").
        if (number > long.MaxValue / multiplier)
            return null;
        var bytes = Math.Round(number * multiplier, MidpointRounding.AwayFromZero);
        return bytes > long.MaxValue ? null : (long)bytes;
    }
}
