using System.Buffers;
using System.Text.Json;
using ImsCrawler.Api.Problems;

namespace ImsCrawler.Api.Ingest;

/// <summary>
/// Reads a request body of crawled issues: a JSON array (<c>application/json</c>) or one issue per
/// line (<c>application/x-ndjson</c>). Enforces the byte and item limits before anything is mapped.
/// </summary>
public static class CrawledIssueReader
{
    public enum Format { Json, NdJson }

    public enum Failure { None, TooLarge, TooManyItems, Malformed }

    /// <summary>The parsed items (owning their JSON documents) or why there are none.</summary>
    public sealed class Body : IDisposable
    {
        private readonly List<JsonDocument> documents = [];

        public Failure Failure { get; internal set; }
        public string? Detail { get; internal set; }
        public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);
        public List<JsonElement> Items { get; } = [];

        internal void Own(JsonDocument document) => documents.Add(document);

        public void Dispose()
        {
            foreach (var document in documents)
                document.Dispose();
        }
    }

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    public static Format? FormatOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
            return null;
        var mediaType = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "application/json" or "text/json" => Format.Json,
            "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/x-jsonlines" => Format.NdJson,
            _ => null,
        };
    }

    public static async Task<Body> ReadAsync(Stream stream, Format format, IngestOptions options, CancellationToken cancellationToken)
    {
        var body = new Body();
        var bytes = await ReadLimitedAsync(stream, options.MaxBytes, cancellationToken);
        if (bytes is null)
        {
            body.Failure = Failure.TooLarge;
            body.Detail = $"The batch is larger than {options.MaxBytes} bytes (Ingest:MaxBytes); send it in smaller batches.";
            return body;
        }
        if (format == Format.Json)
            ParseArray(bytes, options, body);
        else
            ParseLines(bytes, options, body);
        return body;
    }

    /// <summary>The whole body, or null once it passes <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(), cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        // A UTF-8 byte order mark is not JSON.
        var all = buffer.ToArray();
        return all is [0xEF, 0xBB, 0xBF, ..] ? all[3..] : all;
    }

    private static void ParseArray(byte[] bytes, IngestOptions options, Body body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException e)
        {
            Malformed(body, "body", $"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
            return;
        }
        body.Own(document);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            Malformed(body, "body", "must be a JSON array of crawled issues (or send application/x-ndjson, one issue per line)");
            return;
        }
        var count = document.RootElement.GetArrayLength();
        if (count > options.MaxItems)
        {
            TooMany(body, count, options);
            return;
        }
        body.Items.AddRange(document.RootElement.EnumerateArray());
        RefuseUnstorable(body);
    }

    private static void ParseLines(byte[] bytes, IngestOptions options, Body body)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        ReadOnlyMemory<byte> memory = bytes;
        while (memory.Length > 0)
        {
            var end = memory.Span.IndexOf((byte)'\n');
            var line = end < 0 ? memory : memory[..end];
            memory = end < 0 ? ReadOnlyMemory<byte>.Empty : memory[(end + 1)..];
            if (!IsBlank(line.Span))
                lines.Add(line);
        }
        if (lines.Count > options.MaxItems)
        {
            TooMany(body, lines.Count, options);
            return;
        }
        for (var i = 0; i < lines.Count; i++)
        {
            try
            {
                var document = JsonDocument.Parse(lines[i], Options);
                body.Own(document);
                body.Items.Add(document.RootElement);
            }
            catch (JsonException e)
            {
                body.Errors[$"items[{i}]"] = [$"malformed JSON on line {i + 1} of the body, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}"];
            }
        }
        if (body.Errors.Count > 0)
            body.Failure = Failure.Malformed;
        else
            RefuseUnstorable(body);
    }

    /// <summary>
    /// Text that is not valid UTF-8 and numbers beyond jsonb's numeric, anywhere in an item (full_data keeps unknown
    /// keys too), are refused as malformed, naming the item and path (<c>items[2].metadata.x</c>).
    /// </summary>
    private static void RefuseUnstorable(Body body)
    {
        for (var i = 0; i < body.Items.Count; i++)
        {
            if (StorableText.JsonProblem(body.Items[i]) is var (path, reason))
                body.Errors[$"items[{i}]{path}"] = [reason];
        }
        if (body.Errors.Count > 0)
            body.Failure = Failure.Malformed;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                return false;
        return true;
    }

    private static void Malformed(Body body, string key, string message)
    {
        body.Failure = Failure.Malformed;
        body.Errors[key] = [message];
    }

    private static void TooMany(Body body, int count, IngestOptions options)
    {
        body.Failure = Failure.TooManyItems;
        body.Detail = $"The batch has {count} items; at most {options.MaxItems} are accepted per request (Ingest:MaxItems).";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
