using System.Text.Json;

namespace ImsCrawler.Api.Issues;

/// <param name="Product">Product family (<c>OpenFrame</c> matches <c>OpenFrame Batch</c>).</param>
/// <param name="ModifiedFrom">Modified at or after (ISO 8601 date or date-time).</param>
/// <param name="ModifiedTo">Modified before.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page (issues come newest first by their internal key).</param>
/// <param name="Limit">1–200, default 50.</param>
public sealed record ListIssuesRequest(
    string? Product, string? Status, string? Priority, string? ModifiedFrom, string? ModifiedTo, string? Cursor, int? Limit);

public sealed record IssueSummary(
    string IssueId, string Title, string? Product, string? Status, string? Priority, string? Severity, string? IssueType,
    DateTime? RegisteredDate, DateTime? ModifiedDate, DateTime? ClosedDate, DateTime? LastCrawledAt, int CrawlCount);

public sealed record IssuePage(IReadOnlyList<IssueSummary> Items, string? NextCursor);

public sealed record IssueComment(long CommentId, int? CommentNumber, string? Author, string? Content, DateTime? CommentedAt);

public sealed record IssueHistoryEntry(
    long HistoryId, string? ChangedBy, DateTime? ChangedAt, string? ChangeType, string? FieldName, string? OldValue,
    string? NewValue, string? Description);

/// <param name="SessionUuid">The crawl session that downloaded it (absent when that session was deleted).</param>
public sealed record IssueAttachment(
    long AttachmentId, string Filename, string? FileType, long? FileSize, string? DownloadUrl, bool Downloaded,
    string? DownloadError, bool TextExtracted, string? ExtractedText, string? SessionUuid, DateTime? CreatedAt);

/// <summary>A crawl session that crawled the issue (the caller's own; admins and readonly users see all).</summary>
public sealed record IssueSession(
    string SessionUuid, int UserId, string Product, string OriginalQuery, string Status, DateTime StartedAt,
    int? CrawlOrder, bool HadErrors, string? ErrorMessage);

public sealed record IssueDetail(
    string IssueId, string Title, string? Description, string? Product, string? Status, string? Priority, string? Severity,
    string? IssueType, string? Reporter, string? Owner, string? Manager, DateTime? RegisteredDate, DateTime? ModifiedDate,
    DateTime? ClosedDate, string? ProjectCode, string? ProjectName, string? Site, string? Customer, string? FoundVersion,
    string? FixedVersion, string? TargetVersion, DateTime? FirstCrawledAt, DateTime? LastCrawledAt, int CrawlCount,
    JsonElement? FullData, IReadOnlyList<IssueComment> Comments, IReadOnlyList<IssueHistoryEntry> History,
    IReadOnlyList<IssueAttachment> Attachments, IReadOnlyList<IssueSession> Sessions);
