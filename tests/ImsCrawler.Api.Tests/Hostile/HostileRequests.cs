using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ImsCrawler.Api.Tests.Hostile;

/// <summary>
/// One generated request: exactly one hostile element (a route value, a query value, a body, a header, a method) in an
/// otherwise valid request, so that the hostile element is what reaches the server's code.
/// </summary>
public sealed record HostileRequest(string Description, HttpMethod Method, string Url, Func<HttpContent?> Content,
    bool ExpectContinue = false, bool KestrelMayRefuse = false, (string Name, string Value)? Header = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Url) { Content = Content() };
        if (ExpectContinue)
            message.Headers.ExpectContinue = true;
        if (Header is var (name, value))
            message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    public override string ToString() => $"{Method} {Shorten(Url)}: {Description}";

    private static string Shorten(string url) => url.Length <= 160 ? url : url[..157] + "...";
}

/// <summary>
/// Generates the hostile requests of one operation from its OpenAPI description: bad route values, bad query values,
/// malformed, mistyped, too deep, too large or wrongly labelled bodies, text and numbers PostgreSQL cannot store at any
/// depth of the body (including JSON stored as jsonb), and dates at the calendar's edges.
/// </summary>
public static class HostileRequests
{
    // Stand-ins replaced in the serialized JSON: a lone surrogate escape and invalid UTF-8 cannot be built with JsonNode.
    private const string LoneSurrogateMarker = "\uE001lone\uE001";
    private const string InvalidUtf8Marker = "\uE002bytes\uE002";

    private static readonly string[] RouteValues =
        ["abc", "99999999999999999999", "-1", "0", "%00", "a%00b", "%ED%A0%80", "%FF%FE", "..%2F..%2Fetc", new string('x', 5000)];

    private static readonly string[] IntegerValues = ["abc", "99999999999999999999", "-99999999999999999999", "1e999999", "1.5", "-1", "0"];

    private static readonly string[] TextValues =
    [
        "%00", "x%00y", "%FF%FE", "%ED%A0%80", new string('q', 600), "0001-01-01", "9999-12-31", "0001-01", "9999-12",
        "0000-00-00", "0001-01-01T00:00:00%2B09:00", "9999-12-31T23:59:59-09:00", "-1", "'; drop table ims.issues; --",
    ];

    /// <summary>The hostile requests of one operation; <paramref name="bodies"/> false leaves out the body variants.</summary>
    public static IEnumerable<HostileRequest> For(ApiOperation operation, Func<string, string> routeValue, JsonNode? validBody,
        bool bodies = true)
    {
        var method = new HttpMethod(operation.Method);
        var path = Fill(operation.Path, routeValue);
        var valid = BodyContent(validBody, operation.Body);

        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
            foreach (var value in RouteValues)
                yield return new HostileRequest($"route {parameter.Name} = {Describe(value)}", method,
                    Fill(operation.Path, name => name == parameter.Name ? value : routeValue(name)), valid,
                    KestrelMayRefuse: value.Contains("%00", StringComparison.Ordinal));

        foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
        {
            var values = parameter.Kind is ValueKind.Integer or ValueKind.Number ? IntegerValues.Concat(["%00"]) : TextValues;
            foreach (var value in values)
                yield return new HostileRequest($"query {parameter.Name} = {Describe(value)}", method,
                    $"{path}?{parameter.Name}={value}", valid);
            yield return new HostileRequest($"query {parameter.Name} twice", method, $"{path}?{parameter.Name}=1&{parameter.Name}=2", valid);
        }
        yield return new HostileRequest("query key with NUL", method, $"{path}?x%00=1", valid);

        if (bodies && operation.Body is { } body && validBody is not null)
            foreach (var request in BodyRequests(method, path, body, validBody))
                yield return request;
    }

    /// <summary>Methods the document does not declare on a path: 405.</summary>
    public static IEnumerable<HostileRequest> UndeclaredMethods(string pathTemplate, IEnumerable<string> declared, Func<string, string> routeValue)
    {
        var path = Fill(pathTemplate, routeValue);
        foreach (var method in new[] { "GET", "POST", "PUT", "PATCH", "DELETE" }.Except(declared))
            yield return new HostileRequest($"undeclared method {method}", new HttpMethod(method), path, () => Json("{}"));
    }

    /// <summary>Requests without a key, with a malformed one and with an unknown one: 401.</summary>
    public static IEnumerable<HostileRequest> BadKeys(ApiOperation operation, Func<string, string> routeValue, JsonNode? validBody)
    {
        var path = Fill(operation.Path, routeValue);
        var method = new HttpMethod(operation.Method);
        var valid = BodyContent(validBody, operation.Body);
        yield return new HostileRequest("no key", method, path, valid, Header: ("Authorization", ""));
        yield return new HostileRequest("Basic credentials", method, path, valid, Header: ("Authorization", "Basic YTpi"));
        yield return new HostileRequest("unknown key", method, path, valid, Header: ("Authorization", "Bearer ims_" + new string('A', 43)));
        yield return new HostileRequest("oversized key", method, path, valid, Header: ("Authorization", "Bearer " + new string('k', 4000)));
    }

    private static IEnumerable<HostileRequest> BodyRequests(HttpMethod method, string path, BodyShape body, JsonNode validBody)
    {
        var contentType = body.ContentTypes[0];
        HostileRequest Raw(string description, Func<HttpContent?> content, bool expectContinue = false) =>
            new($"body: {description}", method, path, content, expectContinue);
        HostileRequest Text(string description, string json) => Raw(description, () => Json(json, contentType));

        yield return Text("malformed JSON", "{\"a\": ");
        yield return Text("truncated JSON", validBody.ToJsonString()[..^1]);
        yield return Text("trailing comma", "[1,]");
        yield return Text("empty", "");
        yield return Text("null", "null");
        yield return Text("a number", "42");
        yield return Text("a string", "\"text\"");
        yield return Text("the other container", body.IsArray ? "{}" : "[]");
        yield return Text("nested 200 deep", new string('[', 200) + new string(']', 200));
        yield return Raw("no content type", () => new ByteArrayContent(Encoding.UTF8.GetBytes(validBody.ToJsonString())));
        yield return Raw("text/plain", () => new StringContent(validBody.ToJsonString(), Encoding.UTF8, "text/plain"));
        yield return Raw("application/xml", () => new StringContent("<issue/>", Encoding.UTF8, "application/xml"));
        yield return Raw("form data", () => new FormUrlEncodedContent([new("a", "b")]));
        yield return Raw("40 MB announced", () => new LargeContent(40L * 1024 * 1024, contentType), expectContinue: true);
        yield return Raw("invalid UTF-8 outside strings", () => new ByteArrayContent([0xFF, 0xFE, (byte)'{', (byte)'}'])
        {
            Headers = { ContentType = new MediaTypeHeaderValue(contentType) },
        });

        if (body.IsArray)
        {
            yield return Text("item null", "[null]");
            yield return Text("item a number", "[42]");
            yield return Text("empty array", "[]");
            var item = validBody.AsArray()[0]!.ToJsonString();
            yield return Text("1001 items", "[" + string.Join(",", Enumerable.Repeat(item, 1001)) + "]");
        }
        if (body.ContentTypes.Contains("application/x-ndjson") && validBody is JsonArray lines)
        {
            var line = lines[0]!.ToJsonString();
            yield return Raw("NDJSON with a malformed line", () => Json(line + "\n{\"a\":\n", "application/x-ndjson"));
            yield return Raw("NDJSON with a NUL", () => Json(line.Replace("\"title\":\"", "\"title\":\"\\u0000", StringComparison.Ordinal), "application/x-ndjson"));
            yield return Raw("NDJSON with invalid UTF-8", () => Bytes(Serialize(SetFirstText(lines[0]!.DeepClone(), InvalidUtf8Marker)), "application/x-ndjson"));
        }

        var target = body.IsArray ? validBody.AsArray()[0] as JsonObject : validBody as JsonObject;
        if (target is null)
            yield break;
        foreach (var (name, kind) in Properties(body, target))
            foreach (var (description, value) in ValuesFor(kind))
            {
                var hostile = validBody.DeepClone();
                ((body.IsArray ? hostile.AsArray()[0] : hostile) as JsonObject)![name] = value?.DeepClone();
                var serialized = Serialize(hostile);
                yield return Raw($"{name} = {description}", () => Bytes(serialized, contentType));
            }
    }

    /// <summary>The declared properties, or (for a body the document does not describe) the sample's own keys.</summary>
    private static IEnumerable<(string Name, ValueKind Kind)> Properties(BodyShape body, JsonObject sample) =>
        body.Properties.Count > 0
            ? body.Properties.Select(p => (p.Name, p.Kind))
            : sample.Select(p => (p.Key, p.Value switch
            {
                JsonObject => ValueKind.Json,
                JsonArray => ValueKind.Json,
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => ValueKind.Integer,
                _ => ValueKind.Text,
            }));

    private static IEnumerable<(string Description, JsonNode? Value)> ValuesFor(ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.Integer:
                yield return ("1e999999", JsonNode.Parse("1e999999"));
                yield return ("20 nines", JsonNode.Parse("99999999999999999999"));
                yield return ("-20 nines", JsonNode.Parse("-99999999999999999999"));
                yield return ("1.5", JsonNode.Parse("1.5"));
                yield return ("a string", "abc");
                yield return ("an object", new JsonObject());
                break;
            case ValueKind.Number:
                yield return ("1e999999", JsonNode.Parse("1e999999"));
                yield return ("-1e999999", JsonNode.Parse("-1e999999"));
                yield return ("1e-999999", JsonNode.Parse("1e-999999"));
                yield return ("a string", "abc");
                break;
            case ValueKind.Boolean:
                yield return ("a string", "yes");
                yield return ("a number", 2);
                break;
            case ValueKind.DateTime:
                yield return ("year 1 at +09:00", "0001-01-01T00:00:00+09:00");
                yield return ("year 9999 at -09:00", "9999-12-31T23:59:59-09:00");
                yield return ("not a date", "yesterday");
                yield return ("a number", 1);
                yield return ("NUL", "2024-01-01\u0000");
                break;
            case ValueKind.Json:
                yield return ("NUL in a nested key", JsonNode.Parse("""{"a": {"b\u0000": 1}}"""));
                yield return ("NUL in a nested value", JsonNode.Parse("""{"a": [{"b": "x\u0000"}]}"""));
                yield return ("lone surrogate in a nested value", new JsonObject { ["a"] = new JsonArray(LoneSurrogateMarker) });
                yield return ("invalid UTF-8 in a nested value", new JsonObject { ["a"] = InvalidUtf8Marker });
                yield return ("1e999999 nested", JsonNode.Parse("""{"a": {"n": 1e999999}}"""));
                yield return ("-1e999999 nested", JsonNode.Parse("""[[-1e999999]]"""));
                yield return ("1e-999999 nested", JsonNode.Parse("""{"n": 1e-999999}"""));
                yield return ("nested 100 deep", Deep(100));
                yield return ("NUL string", "\u0000");
                yield return ("a number", 42);
                break;
            default:
                yield return ("NUL", "\u0000");
                yield return ("NUL inside", "a\u0000b");
                yield return ("lone surrogate", LoneSurrogateMarker);
                yield return ("invalid UTF-8", InvalidUtf8Marker);
                yield return ("a number", 42);
                yield return ("an array", new JsonArray());
                yield return ("100 000 characters", new string('w', 100_000));
                yield return ("year 1 date", "0001-01-01 00:00");
                yield return ("1e999999 as text", "1e999999");
                yield return ("hostile history text", "a changed from" + new string(' ', 20_000) + "x");
                break;
        }
    }

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonObject();
        for (var i = 0; i < depth; i++)
            node = new JsonObject { ["d"] = node };
        return node;
    }

    private static JsonNode SetFirstText(JsonNode item, string value)
    {
        var obj = item.AsObject();
        var key = obj.First(p => p.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && p.Key != "issue_id").Key;
        obj[key] = value;
        return item;
    }

    /// <summary>JSON bytes with the markers replaced by what JsonNode cannot express.</summary>
    private static byte[] Serialize(JsonNode node)
    {
        var json = node.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = 256,
        });
        json = json.Replace(LoneSurrogateMarker, "\\ud800", StringComparison.Ordinal)
            .Replace(Escape(LoneSurrogateMarker), "\\ud800", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(json.Replace(Escape(InvalidUtf8Marker), InvalidUtf8Marker, StringComparison.Ordinal));
        var marker = Encoding.UTF8.GetBytes(InvalidUtf8Marker);
        var at = bytes.AsSpan().IndexOf(marker);
        return at < 0 ? bytes : [.. bytes[..at], 0xC3, 0x28, 0xFF, .. bytes[(at + marker.Length)..]];
    }

    private static string Escape(string marker) => string.Concat(marker.Select(c => c > 127 ? $"\\u{(int)c:X4}" : c.ToString()));

    private static Func<HttpContent?> BodyContent(JsonNode? body, BodyShape? shape) =>
        body is null || shape is null ? () => null : () => Json(body.ToJsonString(), shape.ContentTypes[0]);

    private static HttpContent Json(string json, string contentType = "application/json") =>
        new StringContent(json, new UTF8Encoding(false), contentType);

    private static HttpContent Bytes(byte[] bytes, string contentType) =>
        new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } };

    private static string Fill(string template, Func<string, string> value)
    {
        var path = new StringBuilder();
        foreach (var segment in template.Split('/'))
            path.Append(segment.StartsWith('{') ? value(segment.Trim('{', '}')) : segment).Append('/');
        return path.ToString().TrimEnd('/');
    }

    private static string Describe(string value) => value.Length <= 40 ? value : $"{value[..10]}... ({value.Length} characters)";

    /// <summary>A body that announces its length and is written only if the server asks for it.</summary>
    private sealed class LargeContent : HttpContent
    {
        private readonly long length;

        public LargeContent(long length, string contentType)
        {
            this.length = length;
            Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)' ');
            for (long written = 0; written < length; written += chunk.Length)
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - written)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = this.length;
            return true;
        }
    }
}
