using System.Globalization;
using System.Text.Json;
using ImsCrawler.Api.Problems;

namespace ImsCrawler.Api.Ingest;

/// <summary>Typed reads of one object's keys, each error naming the field.</summary>
internal readonly struct FieldReader(JsonElement element, string path, CrawledIssueMapper.Result result)
{
    public string Path => path;

    public JsonElement Element => element;

    /// <summary>
    /// Reads each object of array <paramref name="key"/> (with its 1-based position), passing over blank ones (a block the
    /// crawler found but could not read: nothing to store); any other value is an error naming it and its <paramref name="shape"/>.
    /// </summary>
    public void ForEachObject(string key, string shape, Action<FieldReader, int> read)
    {
        if (Array(key) is not { } items)
            return;
        var position = 0;
        foreach (var item in items.EnumerateArray())
        {
            var at = $"{path}.{key}[{position}]";
            position++;
            if (item.ValueKind != JsonValueKind.Object)
                result.AddError(at, $"must be an object {shape}, not {CrawledJson.Describe(item.ValueKind)}");
            else if (!CrawledJson.IsBlank(item))
                read(new FieldReader(item, at, result), position);
        }
    }

    public JsonElement? Scalar(string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The text of <paramref name="key"/>; null when it is missing, null, "" or whitespace only.</summary>
    public string? String(string key, int maxLength, bool allowNumber = false)
    {
        if (Scalar(key) is not { } value)
            return null;
        string text;
        if (value.ValueKind == JsonValueKind.String)
        {
            text = value.GetString()!;
            if (CrawledJson.IsBlank(text))
                return null;
        }
        else if (allowNumber && value.ValueKind == JsonValueKind.Number)
            text = value.GetRawText();
        else
        {
            result.AddError($"{path}.{key}", $"must be a string, not {CrawledJson.Describe(value.ValueKind)}");
            return null;
        }
        if (text.Length > maxLength)
        {
            var characters = text.EnumerateRunes().Count();
            if (characters > maxLength)
            {
                result.AddError($"{path}.{key}", $"is {characters} characters long; at most {maxLength} fit");
                return null;
            }
        }
        return text;
    }

    /// <summary>
    /// A whole number, as a JSON number or as text ("2258642"). "" is absent. Text that is not a whole
    /// number is a warning in <paramref name="unreadable"/> (when given) and null, never an error: the
    /// crawler writes what the page showed. A JSON value of another type is an error.
    /// </summary>
    public int? Int(string key, List<string>? unreadable)
    {
        if (Scalar(key) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (CrawledJson.IsBlank(text))
                return null;
            if (int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                    CultureInfo.InvariantCulture, out number))
                return number;
            unreadable?.Add($"{path}.{key}: \"{text}\" is not a whole number, stored as NULL");
            return null;
        }
        result.AddError($"{path}.{key}", $"must be a whole number, not {value.GetRawText()}");
        return null;
    }

    public JsonElement? Array(string key)
    {
        if (Scalar(key) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Array)
            return value;
        result.AddError($"{path}.{key}", $"must be an array, not {CrawledJson.Describe(value.ValueKind)}");
        return null;
    }

    public JsonElement? Object(string key)
    {
        if (Scalar(key) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Object)
            return value;
        result.AddError($"{path}.{key}", $"must be an object, not {CrawledJson.Describe(value.ValueKind)}");
        return null;
    }
}

/// <summary>What the mapper asks of the crawler's JSON values.</summary>
internal static class CrawledJson
{
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    public static bool IsBlank(string text) => string.IsNullOrWhiteSpace(text);

    /// <summary>No leaf holds anything: only "", whitespace, null, [] and {} (ims.is_blank_json in SQL).</summary>
    public static bool IsBlank(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => IsBlank(element.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.Object => element.EnumerateObject().All(p => IsBlank(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(IsBlank),
        _ => false,
    };

    /// <summary>PostgreSQL text and jsonb hold neither NUL nor unpaired surrogates: an error wherever one is.</summary>
    public static void CheckText(JsonElement element, string path, CrawledIssueMapper.Result result)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var at = $"{path}.{property.Name}";
                    if (StorableText.Problem(property.Name) is { } problem)
                        result.AddError(at, "the key " + problem);
                    CheckText(property.Value, at, result);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var value in element.EnumerateArray())
                    CheckText(value, $"{path}[{i++}]", result);
                break;
            case JsonValueKind.String:
                if (StorableText.Problem(element.GetString()) is { } text)
                    result.AddError(path, text);
                break;
        }
    }
}
