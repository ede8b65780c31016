using System.Globalization;
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
            Error(result, path, $"must be a JSON object (a crawled issue), not {Describe(element.ValueKind)}");
            return null;
        }
        var errorsBefore = result.Errors.Count;
        CheckText(element, path, result);
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
            Error(result, path + ".issue_id", "required");

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

        MapComments(reader, path, index, item, result);
        MapHistory(reader, path, index, item, result);
        MapAttachments(reader, path, index, item, result);

        if (result.Errors.Count > errorsBefore)
            return null;
        item.Issue = issue;
        return item;
    }

    private void MapComments(FieldReader reader, string path, int ord, Item item, Result result)
    {
        if (reader.Array("comments") is not { } comments)
            return;
        var position = 0;
        var unnumbered = new List<int>();
        foreach (var comment in comments.EnumerateArray())
        {
            var at = $"{path}.comments[{position}]";
            position++;
            if (comment.ValueKind != JsonValueKind.Object)
            {
                Error(result, at, $"must be an object {{action_no, author, date, content}}, not {Describe(comment.ValueKind)}");
                continue;
            }
            if (IsBlank(comment))
                continue; // a comment block the crawler found but could not read: nothing to store
            var field = new FieldReader(comment, at, result);
            var number = field.Int("action_no", unreadable: null);
            if (number is null && !result.Errors.ContainsKey(at + ".action_no"))
            {
                number = position;
                unnumbered.Add(position);
            }
            var row = new StagedComment(ord, number ?? 0, field.String("author", 100), field.String("content", int.MaxValue),
                Date(field, "date", result.Batch.Warnings));
            if (item.Comments.ContainsKey(row.CommentNumber))
                result.Batch.Warnings.Add($"{at}.action_no: {row.CommentNumber} appears twice; the later comment is kept");
            item.Comments[row.CommentNumber] = row;
        }
        if (unnumbered.Count > 0)
            result.Batch.Warnings.Add(
                $"{path}.comments: {Plural(unnumbered.Count, "comment")} without a readable action_no, numbered by position ({string.Join(", ", unnumbered)})");
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>The crawler writes issue_id "unknown" (or leaves it "") when it could not parse the page.</summary>
    private static bool IsUnparsedPage(JsonElement item) =>
        item.TryGetProperty("issue_id", out var id) && id.ValueKind == JsonValueKind.String
        && id.GetString()!.Trim() is var text && (text.Length == 0 || text.Equals("unknown", StringComparison.OrdinalIgnoreCase));

    private void MapHistory(FieldReader reader, string path, int ord, Item item, Result result)
    {
        if (reader.Array("history") is not { } history)
            return;
        var position = 0;
        foreach (var entry in history.EnumerateArray())
        {
            var at = $"{path}.history[{position}]";
            position++;
            if (entry.ValueKind != JsonValueKind.Object)
            {
                Error(result, at, $"must be an object {{date, user, details}}, not {Describe(entry.ValueKind)}");
                continue;
            }
            if (IsBlank(entry))
                continue;
            var field = new FieldReader(entry, at, result);
            var changedAt = Date(field, "date", result.Batch.Warnings);
            var changedBy = field.String("user", 100);
            var details = field.String("details", int.MaxValue);
            var change = HistoryDetails.Parse(details);
            if (change?.FieldName is { Length: > 100 })
                change = null;
            // Same identity as ux_issue_history_identity: a repeated row is one row.
            item.History[(changedAt, changedBy, details)] = new StagedHistory(ord, changedBy, changedAt,
                change?.ChangeType, change?.FieldName, change?.OldValue, change?.NewValue, details);
        }
    }

    private void MapAttachments(FieldReader reader, string path, int ord, Item item, Result result)
    {
        if (reader.Array("attachments") is not { } attachments)
            return;
        var position = 0;
        foreach (var attachment in attachments.EnumerateArray())
        {
            var at = $"{path}.attachments[{position}]";
            position++;
            if (attachment.ValueKind != JsonValueKind.Object)
            {
                Error(result, at, $"must be an object {{name, file_id, size, type, local_path?, extracted_text?}}, not {Describe(attachment.ValueKind)}");
                continue;
            }
            if (IsBlank(attachment))
                continue;
            var field = new FieldReader(attachment, at, result);
            var name = field.String("name", 500);
            if (name is null)
            {
                if (result.Errors.ContainsKey(at + ".name"))
                    continue;
                if (attachment.TryGetProperty("name", out var present) && present.ValueKind == JsonValueKind.String)
                    result.Batch.Warnings.Add($"{at}.name: empty; an attachment without a file name cannot be stored and is skipped");
                else
                    Error(result, at + ".name", "required (the attachment's file name)");
                continue;
            }
            field.String("file_id", int.MaxValue, allowNumber: true);
            var size = field.Scalar("size");
            long? bytes = null;
            if (size is { ValueKind: JsonValueKind.Number } number)
                bytes = number.TryGetInt64(out var whole) && whole >= 0 ? whole : null;
            else if (size is { ValueKind: JsonValueKind.String } text && !IsBlank(text.GetString()!))
            {
                bytes = FileSizes.Parse(text.GetString()!);
                if (bytes is null)
                    result.Batch.Warnings.Add($"{at}.size: unparsable size \"{text.GetString()}\", stored as NULL");
            }
            else if (size is { ValueKind: JsonValueKind.String })
            {
                // "" is the crawler's "no size shown": absent, no warning.
            }
            else if (size is { } other)
                Error(result, at + ".size", $"must be a text such as \"12.3 KB\" or a number of bytes, not {Describe(other.ValueKind)}");
            var localPath = field.String("local_path", int.MaxValue);
            var extracted = field.String("extracted_text", int.MaxValue);
            var row = new StagedAttachment(ord, name, field.String("type", 100), bytes, localPath,
                Downloaded: !string.IsNullOrEmpty(localPath), extracted, TextExtracted: extracted is not null);
            if (item.Attachments.ContainsKey(name))
                result.Batch.Warnings.Add($"{at}.name: \"{name}\" appears twice; the later attachment is kept");
            item.Attachments[name] = row;
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

    private static void Error(Result result, string key, string message)
    {
        if (!result.Errors.TryGetValue(key, out var messages))
            result.Errors[key] = messages = [];
        messages.Add(message);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    /// <summary>PostgreSQL text and jsonb hold neither NUL nor unpaired surrogates: name where one is.</summary>
    private static void CheckText(JsonElement element, string path, Result result)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var at = $"{path}.{property.Name}";
                    if (!IsStorable(property.Name))
                        Error(result, at, "the key contains a NUL character or an unpaired surrogate");
                    CheckText(property.Value, at, result);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var value in element.EnumerateArray())
                    CheckText(value, $"{path}[{i++}]", result);
                break;
            case JsonValueKind.String:
                if (!IsStorable(element.GetString()!))
                    Error(result, path, "contains a NUL character or an unpaired surrogate, which PostgreSQL cannot store");
                break;
        }
    }

    private static bool IsBlank(string text) => string.IsNullOrWhiteSpace(text);

    /// <summary>No leaf holds anything: only "", whitespace, null, [] and {} (ims.is_blank_json in SQL).</summary>
    private static bool IsBlank(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => IsBlank(element.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.Object => element.EnumerateObject().All(p => IsBlank(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(IsBlank),
        _ => false,
    };

    private static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
                return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
                return false;
        }
        return true;
    }

    /// <summary>Typed reads of one object's keys, each error naming the field.</summary>
    private readonly struct FieldReader(JsonElement element, string path, Result result)
    {
        public string Path => path;

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
                if (IsBlank(text))
                    return null;
            }
            else if (allowNumber && value.ValueKind == JsonValueKind.Number)
                text = value.GetRawText();
            else
            {
                Error(result, $"{path}.{key}", $"must be a string, not {Describe(value.ValueKind)}");
                return null;
            }
            if (text.Length > maxLength)
            {
                var characters = text.EnumerateRunes().Count();
                if (characters > maxLength)
                {
                    Error(result, $"{path}.{key}", $"is {characters} characters long; at most {maxLength} fit");
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
                if (IsBlank(text))
                    return null;
                if (int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                        CultureInfo.InvariantCulture, out number))
                    return number;
                unreadable?.Add($"{path}.{key}: \"{text}\" is not a whole number, stored as NULL");
                return null;
            }
            Error(result, $"{path}.{key}", $"must be a whole number, not {value.GetRawText()}");
            return null;
        }

        public JsonElement? Array(string key)
        {
            if (Scalar(key) is not { } value)
                return null;
            if (value.ValueKind == JsonValueKind.Array)
                return value;
            Error(result, $"{path}.{key}", $"must be an array, not {Describe(value.ValueKind)}");
            return null;
        }

        public JsonElement? Object(string key)
        {
            if (Scalar(key) is not { } value)
                return null;
            if (value.ValueKind == JsonValueKind.Object)
                return value;
            Error(result, $"{path}.{key}", $"must be an object, not {Describe(value.ValueKind)}");
            return null;
        }
    }
}
