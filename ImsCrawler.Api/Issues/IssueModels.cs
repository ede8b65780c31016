using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.Json;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Search;

namespace ImsCrawler.Api.Issues;

public sealed record ListIssuesRequest(
    [property: Description("Product family (OpenFrame also matches OpenFrame Batch).")] string? Product,
    [property: Description("Issue status, exact (case-insensitive).")] string? Status,
    [property: Description("Issue priority, exact (case-insensitive).")] string? Priority,
    [property: Description("Modified at or after (ISO 8601 date or date-time).")] string? From,
    [property: Description("Modified before (ISO 8601 date or date-time).")] string? To,
    [property: Description(Keyset.CursorDescription)] string? Cursor,
    [property: Description("Issues per page, 1–200, default 50.")] int? Limit);

/// <summary>
/// The issue filters of the issue list and of search: product family, status and priority (exact, ignoring case),
/// modified from (inclusive) to (exclusive).
/// </summary>
public sealed record IssueFilter(string? Product, string? Status, string? Priority, DateTimeOffset? From, DateTimeOffset? To)
{
    public static IssueFilter Read(RequestErrors errors, string? product, string? status, string? priority, string? from, string? to)
    {
        var (modifiedFrom, modifiedTo) = QueryParameters.InstantRange(errors, from, to);
        return new IssueFilter(
            QueryParameters.Text(errors, "product", product, 100), QueryParameters.Text(errors, "status", status, 50),
            QueryParameters.Text(errors, "priority", priority, 20), modifiedFrom, modifiedTo);
    }

    /// <summary>What a cursor is bound to.</summary>
    public object?[] Values => [Product, Status, Priority, From, To];
}

public sealed record IssueSummary(
    string IssueId, string Title, string? Product, string? Status, string? Priority, string? Severity, string? IssueType,
    DateTime? RegisteredDate, DateTime? ModifiedDate, DateTime? ClosedDate, DateTime? LastCrawledAt, int CrawlCount);

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

/// <summary>An issue (ims.issues), shared by all users. Read by Dapper through its properties; extended by <see cref="IssueDetail"/>.</summary>
public record Issue
{
    public required string IssueId { get; init; }
    public required string Title { get; init; }
    public required string? Description { get; init; }
    public required string? Product { get; init; }
    public required string? Status { get; init; }
    public required string? Priority { get; init; }
    public required string? Severity { get; init; }
    public required string? IssueType { get; init; }
    public required string? Reporter { get; init; }
    public required string? Owner { get; init; }
    public required string? Manager { get; init; }
    public required DateTime? RegisteredDate { get; init; }
    public required DateTime? ModifiedDate { get; init; }
    public required DateTime? ClosedDate { get; init; }
    public required string? ProjectCode { get; init; }
    public required string? ProjectName { get; init; }
    public required string? Site { get; init; }
    public required string? Customer { get; init; }
    public required string? FoundVersion { get; init; }
    public required string? FixedVersion { get; init; }
    public required string? TargetVersion { get; init; }
    public required DateTime? FirstCrawledAt { get; init; }
    public required DateTime? LastCrawledAt { get; init; }
    public required int CrawlCount { get; init; }
    public required JsonElement? FullData { get; init; }
}

/// <summary>An issue with its comments, history, attachments and the caller's sessions that crawled it.</summary>
public sealed record IssueDetail : Issue
{
    [SetsRequiredMembers]
    public IssueDetail(Issue issue, IReadOnlyList<IssueComment> comments, IReadOnlyList<IssueHistoryEntry> history,
        IReadOnlyList<IssueAttachment> attachments, IReadOnlyList<IssueSession> sessions) : base(issue)
    {
        Comments = comments;
        History = history;
        Attachments = attachments;
        Sessions = sessions;
    }

    /// <summary>For readers of the JSON.</summary>
    [JsonConstructor]
    public IssueDetail()
    {
    }

    public required IReadOnlyList<IssueComment> Comments { get; init; }
    public required IReadOnlyList<IssueHistoryEntry> History { get; init; }
    public required IReadOnlyList<IssueAttachment> Attachments { get; init; }
    public required IReadOnlyList<IssueSession> Sessions { get; init; }
}
