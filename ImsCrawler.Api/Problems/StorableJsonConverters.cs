using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImsCrawler.Api.Problems;

/// <summary>
/// A JSON value of a request body this API refuses (of the wrong type, not valid Unicode, or one PostgreSQL cannot
/// store), with a message meant for the caller. Its <see cref="JsonException.Path"/> is the property the serializer was
/// reading (<c>$.metadata</c>); <see cref="InnerPath"/> continues it into a JSON value stored as jsonb (<c>.a[2].b</c>).
/// </summary>
public sealed class RefusedJsonValueException(string message, string innerPath = "") : JsonException(message)
{
    public string InnerPath { get; } = innerPath;
}

/// <summary>Strings of request bodies: NUL or an unpaired surrogate is refused where it is read, with its JSON path.</summary>
public sealed class StorableStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new RefusedJsonValueException($"must be a string, not {Describe(reader.TokenType)}");
        string value;
        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new RefusedJsonValueException("is not valid Unicode text (invalid UTF-8, or an unpaired surrogate escape)");
        }
        return StorableText.Problem(value) is { } problem ? throw new RefusedJsonValueException(problem) : value;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// Free-form JSON of request bodies (session metadata, user preferences, error details), which is stored as jsonb:
/// every key, string and number at any depth must be one jsonb can hold.
/// </summary>
public sealed class StorableJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        if (StorableText.JsonProblem(document.RootElement) is var (path, reason))
            throw new RefusedJsonValueException(reason, path);
        return document.RootElement.Clone();
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);
}
