using System.Text.Json;

namespace ImsCrawler.Api.Tests.Hostile;

/// <summary>A parameter of an operation: where it goes and what kind of value it takes.</summary>
public sealed record OperationParameter(string Name, string In, ValueKind Kind);

/// <summary>A property of a JSON request body.</summary>
public sealed record BodyProperty(string Name, ValueKind Kind);

/// <summary>What the document says a value is; <see cref="Text"/> when it says nothing (nullable strings have no type).</summary>
public enum ValueKind { Text, Integer, Number, Boolean, DateTime, Json, Object, Array }

/// <summary>The shape of a JSON request body: an object with properties, an array of such objects, or unknown.</summary>
public sealed record BodyShape(bool IsArray, IReadOnlyList<BodyProperty> Properties, IReadOnlyList<string> ContentTypes);

/// <summary>One operation of the OpenAPI document.</summary>
public sealed record ApiOperation(string Method, string Path, string OperationId, IReadOnlyList<OperationParameter> Parameters,
    BodyShape? Body, bool NeedsKey)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// Reads every operation of the API's own OpenAPI document (<c>/openapi/v1.json</c>), so a route added later is walked
/// without editing the suite.
/// </summary>
public static class OpenApiOperations
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static IReadOnlyList<ApiOperation> Read(JsonElement document)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in Methods)
            {
                if (!path.Value.TryGetProperty(method, out var operation))
                    continue;
                var parameters = operation.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new OperationParameter(p.GetProperty("name").GetString()!,
                        p.GetProperty("in").GetString()!, KindOf(p.TryGetProperty("schema", out var s) ? s : default, schemas))).ToList()
                    : [];
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path.Name,
                    operation.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{method} {path.Name}",
                    parameters, BodyOf(operation, schemas),
                    NeedsKey: operation.TryGetProperty("security", out _)));
            }
        }
        return operations;
    }

    /// <summary>The methods the document declares on each path.</summary>
    public static ILookup<string, string> MethodsByPath(IEnumerable<ApiOperation> operations) =>
        operations.ToLookup(operation => operation.Path, operation => operation.Method);

    private static BodyShape? BodyOf(JsonElement operation, JsonElement schemas)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content))
            return null;
        var contentTypes = content.EnumerateObject().Select(c => c.Name).ToList();
        var schema = Resolve(content.EnumerateObject().First().Value.TryGetProperty("schema", out var s) ? s : default, schemas);
        var isArray = TypeOf(schema).Contains("array");
        var itemSchema = isArray && schema.TryGetProperty("items", out var items) ? Resolve(items, schemas) : schema;
        var properties = itemSchema.ValueKind == JsonValueKind.Object && itemSchema.TryGetProperty("properties", out var props)
            ? props.EnumerateObject().Select(p => new BodyProperty(p.Name, KindOf(p.Value, schemas))).ToList()
            : [];
        return new BodyShape(isArray, properties, contentTypes);
    }

    private static ValueKind KindOf(JsonElement schema, JsonElement schemas)
    {
        schema = Resolve(schema, schemas);
        if (schema.ValueKind != JsonValueKind.Object)
            return ValueKind.Text;
        if (IsJsonElement(schema))
            return ValueKind.Json;
        var types = TypeOf(schema);
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (types.Contains("integer"))
            return ValueKind.Integer;
        if (types.Contains("number"))
            return ValueKind.Number;
        if (types.Contains("boolean"))
            return ValueKind.Boolean;
        if (format == "date-time")
            return ValueKind.DateTime;
        if (types.Contains("array"))
            return ValueKind.Array;
        if (types.Contains("object"))
            return ValueKind.Object;
        return ValueKind.Text;
    }

    // The document describes JsonElement as a schema without a type, referenced by name.
    private static bool IsJsonElement(JsonElement schema) =>
        schema.TryGetProperty("$resolvedFrom", out var name) && name.GetString() == "JsonElement";

    /// <summary>Follows $ref and a oneOf of null and one schema; marks what a reference named.</summary>
    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return schema;
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var notNull = oneOf.EnumerateArray().Where(option => !TypeOf(option).SequenceEqual(["null"])).ToList();
            if (notNull.Count == 1)
                return Resolve(notNull[0], schemas);
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            var target = schemas.GetProperty(name);
            if (name == "JsonElement")
                return JsonDocument.Parse("""{"$resolvedFrom": "JsonElement"}""").RootElement.Clone();
            return target;
        }
        return schema;
    }

    private static string[] TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
            return [];
        return type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
    }
}
