using System.Text.Json;

namespace ImsCrawler.Api.Problems;

/// <summary>
/// What PostgreSQL cannot store, checked before a request reaches it: text (and jsonb keys and strings) holding
/// NUL or an unpaired surrogate, and JSON numbers outside what jsonb's numeric accepts.
/// </summary>
public static class StorableText
{
    // numeric: at most 131072 digits before the decimal point and 16383 after it (PostgreSQL's NUMERIC_WEIGHT_MAX and
    // NUMERIC_DSCALE_MAX); jsonb stores numbers as numeric.
    private const long MaxIntegerDigits = 131072;
    private const long MaxFractionDigits = 16383;

    /// <summary>Why PostgreSQL cannot store <paramref name="text"/>, or null when it can.</summary>
    public static string? Problem(string? text)
    {
        if (text is null)
            return null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
                return "contains a NUL character (\\u0000), which PostgreSQL cannot store";
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return $"contains an unpaired surrogate (\\u{(int)c:x4}), which is not valid Unicode";
        }
        return null;
    }

    /// <summary>
    /// The first place in a JSON value that jsonb cannot store (a key or string with NUL or an unpaired surrogate, a
    /// number out of numeric's range), as a path relative to the value (<c>.a[2].b</c>, empty for the value itself) and
    /// the reason; null when all of it can be stored.
    /// </summary>
    public static (string Path, string Reason)? JsonProblem(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var at = $"{path}.{Printable(property.Name)}";
                    if (Problem(property.Name) is { } keyProblem)
                        return (at, "the key " + keyProblem);
                    if (JsonProblem(property.Value, at) is { } inner)
                        return inner;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (JsonProblem(item, $"{path}[{index++}]") is { } inner)
                        return inner;
                }
                return null;
            case JsonValueKind.String:
                // GetString throws on a lone surrogate escape; the raw text is checked instead.
                return ValueProblem(element) is { } stringProblem ? (path, stringProblem) : null;
            case JsonValueKind.Number:
                return NumberProblem(element.GetRawText()) is { } numberProblem ? (path, numberProblem) : null;
            default:
                return null;
        }
    }

    /// <summary>Why jsonb's numeric cannot hold the JSON number <paramref name="raw"/>, or null when it can.</summary>
    public static string? NumberProblem(string raw)
    {
        var text = raw.AsSpan().TrimStart('-');
        var exponentAt = text.IndexOfAny('e', 'E');
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        long exponent = 0;
        if (exponentAt >= 0 && !long.TryParse(text[(exponentAt + 1)..], System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out exponent))
            return OutOfRange(raw);
        var point = mantissa.IndexOf('.');
        var integerPart = (point < 0 ? mantissa : mantissa[..point]).TrimStart('0');
        var fractionPart = point < 0 ? ReadOnlySpan<char>.Empty : mantissa[(point + 1)..];
        var significant = integerPart.Length > 0 || fractionPart.TrimEnd('0').Length > 0;
        if (significant && integerPart.Length + exponent > MaxIntegerDigits)
            return OutOfRange(raw);
        // The scale PostgreSQL keeps counts trailing zeros too (1.000e-3 has scale 6), so they are counted here.
        if (fractionPart.Length - exponent > MaxFractionDigits)
            return OutOfRange(raw);
        return null;
    }

    private static string OutOfRange(string raw) =>
        $"is a number ({Shorten(raw)}) outside what PostgreSQL's numeric can store (at most 131072 digits before and 16383 after the decimal point)";

    private static string? ValueProblem(JsonElement element)
    {
        try
        {
            return Problem(element.GetString());
        }
        catch (InvalidOperationException)
        {
            return "is not valid Unicode (an unpaired surrogate or invalid UTF-8)";
        }
    }

    private static string Printable(string name) => Problem(name) is null ? name : JsonEncodedText.Encode(name).ToString();

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..37] + "...";
}
