using System.Text.Json;
using System.Text.RegularExpressions;
using ImsCrawler.Api.Ingest;

namespace ImsCrawler.Api.Import;

/// <summary>
/// A session folder the crawler left on disk: <c>&lt;issue_id&gt;_&lt;timestamp&gt;.json</c> files (one
/// crawled issue each; an array of issues is accepted too), read in name order so that of two crawls of
/// one issue the later file wins. The <c>attachments/</c> subfolder is not read: an attachment's
/// <c>local_path</c> is taken as the record says. A file whose issue_id is "unknown" or empty (a page the
/// crawler could not parse) is skipped with a warning naming it.
/// </summary>
public sealed partial class SessionFolder
{
    public required string Path { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public required IngestBatch Batch { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Files left out because the crawler could not parse their page (issue_id "unknown" or empty).</summary>
    public required IReadOnlyList<string> SkippedFiles { get; init; }

    private List<string> FileOfItem { get; init; } = [];

    /// <summary>A warning about <c>items[i]</c>, as written while ingesting, named by the item's file.</summary>
    public string InFile(string warning) => NameFile(warning, FileOfItem);

    // The crawler names a session folder <Product>_<keywords>_<YYYYmmdd>_<HHMMSS>; keywords may hold '_' for spaces.
    [GeneratedRegex(@"^(?<product>[^_]+)_(?<keywords>.+)_(?<date>\d{8})_(?<time>\d{6})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CrawlerFolderName();

    /// <summary>The product and query a crawler's folder name holds, or nulls when the name is not one (a flat output directory).</summary>
    public static (string? Product, string? Query) Describe(string folderPath)
    {
        var name = System.IO.Path.GetFileName(folderPath.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
        var match = CrawlerFolderName().Match(name);
        if (!match.Success)
            return (null, null);
        return (match.Groups["product"].Value, match.Groups["keywords"].Value.Replace('_', ' ').Trim());
    }

    /// <summary>Reads and maps every file; any problem is returned as messages naming the file, and nothing is kept.</summary>
    public static (SessionFolder? Folder, IReadOnlyList<string> Errors) Read(string path, CrawledIssueMapper mapper)
    {
        if (!Directory.Exists(path))
            return (null, [$"Folder not found: {path}"]);
        var files = Directory.GetFiles(path, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            return (null, [$"No crawled issues in {path}: it has no *.json files."]);

        var errors = new List<string>();
        var documents = new List<JsonDocument>();
        try
        {
            var elements = new List<JsonElement>();
            var fileOfItem = new List<string>();
            foreach (var file in files)
            {
                var name = System.IO.Path.GetFileName(file);
                JsonDocument document;
                try
                {
                    var bytes = File.ReadAllBytes(file);
                    document = JsonDocument.Parse(bytes is [0xEF, 0xBB, 0xBF, ..] ? bytes.AsMemory(3) : bytes.AsMemory());
                }
                catch (JsonException e)
                {
                    errors.Add($"{name}: malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}");
                    continue;
                }
                catch (IOException e)
                {
                    errors.Add($"{name}: cannot be read ({e.Message})");
                    continue;
                }
                documents.Add(document);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                    foreach (var element in root.EnumerateArray())
                    {
                        elements.Add(element);
                        fileOfItem.Add(name);
                    }
                else
                {
                    elements.Add(root);
                    fileOfItem.Add(name);
                }
            }
            if (errors.Count > 0)
                return (null, errors);

            var mapped = mapper.Map(elements);
            string InFile(string message) => NameFile(message, fileOfItem);
            if (!mapped.IsValid)
                return (null, mapped.Errors.SelectMany(e => e.Value.Select(m => InFile($"{e.Key}: {m}"))).ToList());
            return (new SessionFolder
            {
                Path = path,
                Files = files,
                Batch = mapped.Batch,
                Warnings = mapped.Batch.Warnings.Select(InFile).ToList(),
                SkippedFiles = mapped.SkippedItems.Select(i => fileOfItem[i]).Distinct().ToList(),
                FileOfItem = fileOfItem,
            }, []);
        }
        finally
        {
            foreach (var document in documents)
                document.Dispose();
        }
    }

    /// <summary>"items[3].title: ..." → "347863_20240115.json: title: ..."</summary>
    private static string NameFile(string message, List<string> fileOfItem)
    {
        if (!message.StartsWith("items[", StringComparison.Ordinal))
            return message;
        var close = message.IndexOf(']', StringComparison.Ordinal);
        if (close < 0 || !int.TryParse(message.AsSpan(6, close - 6), out var index) || index >= fileOfItem.Count)
            return message;
        var rest = message[(close + 1)..].TrimStart('.').TrimStart(':').TrimStart();
        return $"{fileOfItem[index]}: {rest}";
    }

    /// <summary>Splits the folder's rows into batches of at most <paramref name="size"/> issues.</summary>
    public IEnumerable<IngestBatch> Batches(int size)
    {
        var comments = Batch.Comments.ToLookup(c => c.Ord);
        var history = Batch.History.ToLookup(h => h.Ord);
        var attachments = Batch.Attachments.ToLookup(a => a.Ord);
        foreach (var chunk in Batch.Issues.Chunk(size))
        {
            var batch = new IngestBatch();
            foreach (var issue in chunk)
            {
                batch.Issues.Add(issue);
                batch.Comments.AddRange(comments[issue.Ord]);
                batch.History.AddRange(history[issue.Ord]);
                batch.Attachments.AddRange(attachments[issue.Ord]);
            }
            yield return batch;
        }
    }
}
