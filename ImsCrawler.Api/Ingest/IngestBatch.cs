namespace ImsCrawler.Api.Ingest;

// The staged form of a batch: one row per table the ingest writes, keyed by the item's position
// (Ord) in the request. Dates are UTC instants; text lengths are already checked against the columns.

public sealed record StagedIssue(
    int Ord,
    string IssueId,
    string? Title,
    string? Description,
    string? Product,
    string? Status,
    string? Priority,
    string? Severity,
    string? IssueType,
    string? Reporter,
    string? Owner,
    string? Manager,
    DateTime? RegisteredDate,
    DateTime? ModifiedDate,
    string? ProjectName,
    string? Customer,
    string? FoundVersion,
    string? FixedVersion,
    string FullData,
    int? CrawlOrder,
    int? CrawlDurationMs,
    DateTime? CrawledAt);

public sealed record StagedComment(int Ord, int CommentNumber, string? Author, string? Content, DateTime? CommentedAt);

public sealed record StagedHistory(
    int Ord,
    string? ChangedBy,
    DateTime? ChangedAt,
    string? ChangeType,
    string? FieldName,
    string? OldValue,
    string? NewValue,
    string? Description);

public sealed record StagedAttachment(
    int Ord,
    string Filename,
    string? FileType,
    long? FileSize,
    string? FilePath,
    bool Downloaded,
    string? ExtractedText,
    bool TextExtracted);

/// <summary>A validated batch, ready to stage: rows, and the warnings mapping raised.</summary>
public sealed class IngestBatch
{
    /// <summary>Items left out because the crawler could not parse their page (for telemetry; they are warnings too).</summary>
    public int SkippedItems { get; set; }

    public List<StagedIssue> Issues { get; } = [];
    public List<StagedComment> Comments { get; } = [];
    public List<StagedHistory> History { get; } = [];
    public List<StagedAttachment> Attachments { get; } = [];
    public List<string> Warnings { get; } = [];
}
