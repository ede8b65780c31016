using System.Text.Json;

namespace ImsCrawler.Api.Identity;

/// <summary>Collects validation errors by camelCase field name for a 400 ValidationProblem.</summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
            errors[field] = list = [];
        list.Add(message);
    }

    public void Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            Add(field, $"{field} is required.");
        else
            MaxLength(field, value, maxLength);
    }

    public void MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
            Add(field, $"{field} must be at most {maxLength} characters.");
    }

    public void OneOf(string field, string? value, params string[] allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
            Add(field, $"{field} must be one of: {string.Join(", ", allowed)}.");
    }

    public void Range(string field, long? value, long min, long max)
    {
        if (value is not null && (value < min || value > max))
            Add(field, $"{field} must be between {min} and {max}.");
    }

    public void JsonObject(string field, JsonElement? value)
    {
        if (value is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            Add(field, $"{field} must be a JSON object.");
    }

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
}
