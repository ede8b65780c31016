using System.Text.Json;

namespace ImsCrawler.Api.Ingest;

/// <summary>
/// Maps crawled-issue records (docs/crawled-issue.md) onto the rows the ingest stages.
/// The crawler writes every scraped value as text and <c>""</c> when its pattern did not match, so
/// <c>""</c> (or whitespace) is absent: NULL for a new issue, the stored value kept for an existing one.
/// An item whose issue_id is <c>""</c> or <c>"unknown"</c> (a page the crawler could not parse) is
/// skipped with a warning. Every problem that would make the database refuse the item (a missing
/// issue_id, a value longer than its column, a wrong JSON type, a NUL character) is an error naming
/// the item and field (<c>items[3].product</c>); text that cannot be read as a date, size or number
/// is a warning and NULL. Unknown keys are never rejected: the whole record is kept as full_data.
/// </summary>
public sealed class CrawledIssueMapper(TimeZoneInfo zone)
{
    // Column width of the contract (docs/schema.md).
    private const int IssueIdLength = 50;

    public sealed class Result
    {
        public IngestBatch Batch { get; } = new();
        public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);
        public bool IsValid => Errors.Count == 0;

        /// <summary>Indexes of the items skipped because the crawler could not parse their page.</summary>
        public List<int> SkippedItems { get; } = [];

        public Dictionary<string, string[]> ErrorDictionary() =>
            Errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

        public void AddError(string key, string message)
        {
            if (!Errors.TryGetValue(key, out var messages))
                Errors[key] = messages = [];
            messages.Add(message);
        }
    }

    private sealed class Item(int ord)
    {
        public int Ord { get; } = ord;
        public StagedIssue? Issue { get; set; }
        public Dictionary<int, StagedComment> Comments { get; } = [];
        public Dictionary<(DateTime?, string?, string?), StagedHistory> History { get; } = [];
        public Dictionary<string, StagedAttachment> Attachments { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Maps items in order; <paramref name="firstIndex"/> numbers them for messages.</summary>
    public Result Map(IEnumerable<JsonElement> items, int firstIndex = 0)
    {
        var result = new Result();
        var mapped = new List<Item>();
        var index = firstIndex;
        foreach (var element in items)
        {
            var item = MapItem(index, element, result);
            if (item?.Issue is not null)
                mapped.Add(item);
            index++;
        }

        // One issue once per batch: the later item wins (it is the newer crawl of the same page).
        var lastByIssueId = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var item in mapped)
        {
            if (lastByIssueId.TryGetValue(item.Issue!.IssueId, out var earlier))
                result.Batch.Warnings.Add(
                    $"items[{item.Ord}].issue_id: \"{item.Issue.IssueId}\" also at items[{earlier.Ord}]; the later item is kept");
            lastByIssueId[item.Issue.IssueId] = item;
        }
        foreach (var item in mapped)
        {
            if (!ReferenceEquals(lastByIssueId[item.Issue!.IssueId], item))
                continue;
            result.Batch.Issues.Add(item.Issue);
            result.Batch.Comments.AddRange(item.Comments.Values);
            result.Batch.History.AddRange(item.History.Values);
            result.Batch.Attachments.AddRange(item.Attachments.Values);
        }
        result.Batch.SkippedItems = result.SkippedItems.Count;
        return result;
    }

    private Item? MapItem(int index, JsonElement element, Result result)
    {
        var path = $"items[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            result.AddError(path, $"must be a JSON object (a crawled issue), not {CrawledJson.Describe(element.ValueKind)}");
            return null;
        }
        var errorsBefore = result.Errors.Count;
        CrawledJson.CheckText(element, path, result);
        var reader = new FieldReader(element, path, result);
        var warnings = result.Batch.Warnings;

        if (IsUnparsedPage(element))
        {
            result.SkippedItems.Add(index);
            warnings.Add($"{path}.issue_id: \"{element.GetProperty("issue_id").GetString()}\" is not an IMS issue number " +
                         "(the crawler could not parse the page); the item is skipped");
            return null;
        }
        var issueId = reader.String("issue_id", IssueIdLength, allowNumber: true);
        if (issueId is null && !result.Errors.ContainsKey(path + ".issue_id"))
            result.AddError(path + ".issue_id", "required");

        var title = reader.String("title", int.MaxValue);
        if (title is null && !result.Errors.ContainsKey(path + ".title"))
            warnings.Add($"{path}.title: missing or empty, stored as an empty title (a stored title is kept)");

        var metadata = reader.Object("metadata");
        FieldReader? meta = metadata is { } m ? new FieldReader(m, path + ".metadata", result) : null;

        var item = new Item(index);
        var issue = new StagedIssue(
            Ord: index,
            IssueId: issueId?.Trim() ?? "",
            Title: title,
            Description: reader.String("description", int.MaxValue),
            Product: reader.String("product", 100),
            Status: reader.String("status", 50),
            Priority: reader.String("priority", 20),
            Severity: meta?.String("severity", 20, allowNumber: true),
            IssueType: meta?.String("category", 50, allowNumber: true),
            Reporter: reader.String("reporter", 100),
            Owner: meta?.String("owner", 100, allowNumber: true),
            Manager: reader.String("assignee", 100),
            RegisteredDate: Date(reader, "created_date", warnings),
            ModifiedDate: Date(reader, "updated_date", warnings),
            ProjectName: meta?.String("project", 200, allowNumber: true),
            Customer: meta?.String("customer", 200, allowNumber: true),
            FoundVersion: meta?.String("version", 100, allowNumber: true),
            FixedVersion: meta?.String("patch_version", 100, allowNumber: true),
            FullData: element.GetRawText(),
            CrawlOrder: reader.Int("crawl_order", warnings),
            CrawlDurationMs: reader.Int("crawl_duration_ms", warnings),
            CrawledAt: Date(reader, "crawled_at", warnings));
        reader.String("product_notice", int.MaxValue);
        reader.String("url", int.MaxValue);
        reader.Array("related_issues");

        MapComments(reader, index, item, result);
        MapHistory(reader, index, item, result);
        MapAttachments(reader, index, item, result);

        if (result.Errors.Count > errorsBefore)
            return null;
        item.Issue = issue;
        return item;
    }

    private void MapComments(FieldReader reader, int ord, Item item, Result result)
    {
        var unnumbered = new List<int>();
        reader.ForEachObject("comments", "{action_no, author, date, content}", (field, position) =>
        {
            var number = field.Int("action_no", unreadable: null);
            if (number is null && !result.Errors.ContainsKey(field.Path + ".action_no"))
            {
                number = position;
                unnumbered.Add(position);
            }
            var row = new StagedComment(ord, number ?? 0, field.String("author", 100), field.String("content", int.MaxValue),
                Date(field, "date", result.Batch.Warnings));
            if (item.Comments.ContainsKey(row.CommentNumber))
                result.Batch.Warnings.Add($"{field.Path}.action_no: {row.CommentNumber} appears twice; the later comment is kept");
            item.Comments[row.CommentNumber] = row;
        });
        if (unnumbered.Count > 0)
            result.Batch.Warnings.Add(
                $"{reader.Path}.comments: {Plural(unnumbered.Count, "comment")} without a readable action_no, numbered by position ({string.Join(", ", unnumbered)})");
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>The crawler writes issue_id "unknown" (or leaves it "") when it could not parse the page.</summary>
    private static bool IsUnparsedPage(JsonElement item) =>
        item.TryGetProperty("issue_id", out var id) && id.ValueKind == JsonValueKind.String
        && id.GetString()!.Trim() is var text && (text.Length == 0 || text.Equals("unknown", StringComparison.OrdinalIgnoreCase));

    private void MapHistory(FieldReader reader, int ord, Item item, Result result) =>
        reader.ForEachObject("history", "{date, user, details}", (field, _) =>
        {
            var changedAt = Date(field, "date", result.Batch.Warnings);
            var changedBy = field.String("user", 100);
            var details = field.String("details", int.MaxValue);
            var change = HistoryDetails.Parse(details);
            if (change?.FieldName is { Length: > 100 })
                change = null;
            // Same identity as ux_issue_history_identity: a repeated row is one row.
            item.History[(changedAt, changedBy, details)] = new StagedHistory(ord, changedBy, changedAt,
                change?.ChangeType, change?.FieldName, change?.OldValue, change?.NewValue, details);
        });

    private static void MapAttachments(FieldReader reader, int ord, Item item, Result result) =>
        reader.ForEachObject("attachments", "{name, file_id, size, type, local_path?, extracted_text?}", (field, _) =>
        {
            var at = field.Path;
            var name = field.String("name", 500);
            if (name is null)
            {
                if (result.Errors.ContainsKey(at + ".name"))
                    return;
                if (field.Element.TryGetProperty("name", out var present) && present.ValueKind == JsonValueKind.String)
                    result.Batch.Warnings.Add($"{at}.name: empty; an attachment without a file name cannot be stored and is skipped");
                else
                    result.AddError(at + ".name", "required (the attachment's file name)");
                return;
            }
            field.String("file_id", int.MaxValue, allowNumber: true);
            var localPath = field.String("local_path", int.MaxValue);
            var extracted = field.String("extracted_text", int.MaxValue);
            var row = new StagedAttachment(ord, name, field.String("type", 100), Size(field, result), localPath,
                Downloaded: !string.IsNullOrEmpty(localPath), extracted, TextExtracted: extracted is not null);
            if (item.Attachments.ContainsKey(name))
                result.Batch.Warnings.Add($"{at}.name: \"{name}\" appears twice; the later attachment is kept");
            item.Attachments[name] = row;
        });

    /// <summary>An attachment's size: bytes as a number, or the page's text ("12.3 KB"); "" is the crawler's "no size shown".</summary>
    private static long? Size(FieldReader field, Result result)
    {
        switch (field.Scalar("size"))
        {
            case { ValueKind: JsonValueKind.Number } number:
                return number.TryGetInt64(out var whole) && whole >= 0 ? whole : null;
            case { ValueKind: JsonValueKind.String } text when CrawledJson.IsBlank(text.GetString()!):
                return null;
            case { ValueKind: JsonValueKind.String } text:
                var bytes = FileSizes.Parse(text.GetString()!);
                if (bytes is null)
                    result.Batch.Warnings.Add($"{field.Path}.size: unparsable size \"{text.GetString()}\", stored as NULL");
                return bytes;
            case { } other:
                result.AddError(field.Path + ".size", $"must be a text such as \"12.3 KB\" or a number of bytes, not {CrawledJson.Describe(other.ValueKind)}");
                return null;
            default:
                return null;
        }
    }

    private DateTime? Date(FieldReader reader, string key, List<string> warnings)
    {
        var text = reader.String(key, int.MaxValue);
        if (text is null)
            return null;
        var parsed = ImsDates.Parse(text, zone);
        if (parsed is null)
            warnings.Add($"{reader.Path}.{key}: unparsable date \"{text}\", stored as NULL");
        return parsed;
    }
}
