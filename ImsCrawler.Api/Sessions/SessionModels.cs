using System.Text.Json;
using ImsCrawler.Api.Identity;

namespace ImsCrawler.Api.Sessions;

/// <param name="SessionUuid">Optional client-chosen id: retrying with the same one returns the existing session (200).</param>
public sealed record StartSessionRequest(
    string? SessionUuid, string? Product, string? OriginalQuery, string? ParsedQuery, string? QueryLanguage,
    int? MaxResults, bool? CrawlRelated, JsonElement? Metadata);

/// <summary>Absent counters keep their current value (0 or null).</summary>
public sealed record CompleteSessionRequest(
    string? Status, int? TotalIssuesFound, int? IssuesCrawled, int? AttachmentsDownloaded, int? FailedIssues,
    int? RelatedIssues, int? SearchTimeMs, int? CrawlTimeMs, int? AvgIssueTimeMs, int? ParallelWorkers, string? DataPath);

public sealed record SessionErrorRequest(
    string? ErrorType, string? Severity, string? Message, JsonElement? Detail, DateTimeOffset? OccurredAt);

/// <summary>A search_queries row; product and queryLanguage default to the session's.</summary>
public sealed record SearchQueryRequest(
    string? OriginalQuery, string? ParsedQuery, string? QueryLanguage, string? Product, int? ResultsCount,
    string? ParsingMethod, decimal? ParsingConfidence, bool? SynonymExpanded, bool? IntentFiltered, DateTimeOffset? QueriedAt);

/// <param name="BeforeId">Keyset cursor (sessions come newest first): the <c>nextBeforeId</c> of the previous page.</param>
/// <param name="Limit">1–200, default 50.</param>
/// <param name="Product">Product family (<c>OpenFrame</c> matches <c>OpenFrame Batch</c>).</param>
/// <param name="Status"><c>running</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="StartedFrom">Started at or after (ISO 8601 date or date-time).</param>
/// <param name="StartedTo">Started before.</param>
public sealed record ListSessionsRequest(
    long? BeforeId, int? Limit, string? Product = null, string? Status = null, string? StartedFrom = null, string? StartedTo = null);

/// <param name="OlderThanDays">Delete sessions started more than this many days ago (0–36500).</param>
/// <param name="UserId">Admins only: whose sessions (default: the caller's own).</param>
public sealed record DeleteSessionsRequest(int? OlderThanDays, int? UserId);

/// <summary>What ims.delete_old_sessions removed. Issues are shared and never deleted: deletedIssues is always 0.</summary>
public sealed record DeleteSessionsResponse(int UserId, int OlderThanDays, int DeletedSessions, int DeletedIssues, int DeletedAttachments);

/// <summary>An issue a session crawled, in crawl order (related issues, which have none, last).</summary>
public sealed record SessionIssue(
    string IssueId, string Title, string? Product, string? Status, int? CrawlOrder, int? CrawlDurationMs, bool HadErrors,
    string? ErrorMessage);

public sealed record SessionError(long ErrorId, string? ErrorType, string? Severity, string? Message, JsonElement? Detail, DateTime? OccurredAt);

/// <summary>
/// A session as ims.v_session_detail shows it (the session, its owner and counts), with its linked issues in
/// crawl order and its errors, newest first (at most <see cref="MaxIssues"/> and <see cref="MaxErrors"/>;
/// the counts are always complete).
/// </summary>
public sealed record SessionDetailResponse(
    long SessionId, string SessionUuid, int UserId, string? Username, string Product, string OriginalQuery, string ParsedQuery,
    string? QueryLanguage, int? MaxResults, bool CrawlRelated, string Status, DateTime StartedAt, DateTime? CompletedAt,
    int? DurationSeconds, int TotalIssuesFound, int IssuesCrawled, int AttachmentsDownloaded, int FailedIssues,
    int RelatedIssues, int? SearchTimeMs, int? CrawlTimeMs, int? AvgIssueTimeMs, int? ParallelWorkers, string? DataPath,
    JsonElement Metadata, long LinkedIssues, long IssuesWithErrors, long ErrorCount, long AttachmentCount,
    IReadOnlyList<SessionIssue> Issues, IReadOnlyList<SessionError> Errors)
{
    public const int MaxIssues = 1000;
    public const int MaxErrors = 500;
}

public sealed record SessionResponse(
    long SessionId, string SessionUuid, int UserId, string Product, string OriginalQuery, string ParsedQuery,
    string? QueryLanguage, int? MaxResults, bool CrawlRelated, string Status, DateTime StartedAt, DateTime? CompletedAt,
    int? DurationSeconds, int TotalIssuesFound, int IssuesCrawled, int AttachmentsDownloaded, int FailedIssues,
    int RelatedIssues, int? SearchTimeMs, int? CrawlTimeMs, int? AvgIssueTimeMs, int? ParallelWorkers, string? DataPath,
    JsonElement Metadata);

public sealed record SessionPage(IReadOnlyList<SessionResponse> Items, long? NextBeforeId);

public sealed record BatchResponse(int Count, IReadOnlyList<long> Ids);

internal class SessionRow
{
    public const string Columns = """
        session_id as SessionId, session_uuid as SessionUuid, user_id as UserId, product as Product,
        original_query as OriginalQuery, parsed_query as ParsedQuery, query_language as QueryLanguage,
        max_results as MaxResults, coalesce(crawl_related, false) as CrawlRelated, coalesce(status, 'running') as Status,
        started_at as StartedAt, completed_at as CompletedAt, duration_seconds as DurationSeconds,
        coalesce(total_issues_found, 0) as TotalIssuesFound, coalesce(issues_crawled, 0) as IssuesCrawled,
        coalesce(attachments_downloaded, 0) as AttachmentsDownloaded, coalesce(failed_issues, 0) as FailedIssues,
        coalesce(related_issues, 0) as RelatedIssues, search_time_ms as SearchTimeMs, crawl_time_ms as CrawlTimeMs,
        avg_issue_time_ms as AvgIssueTimeMs, parallel_workers as ParallelWorkers, data_path as DataPath,
        coalesce(metadata, '{}'::jsonb)::text as Metadata
        """;

    public long SessionId { get; set; }
    public string SessionUuid { get; set; } = "";
    public int UserId { get; set; }
    public string Product { get; set; } = "";
    public string OriginalQuery { get; set; } = "";
    public string ParsedQuery { get; set; } = "";
    public string? QueryLanguage { get; set; }
    public int? MaxResults { get; set; }
    public bool CrawlRelated { get; set; }
    public string Status { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int? DurationSeconds { get; set; }
    public int TotalIssuesFound { get; set; }
    public int IssuesCrawled { get; set; }
    public int AttachmentsDownloaded { get; set; }
    public int FailedIssues { get; set; }
    public int RelatedIssues { get; set; }
    public int? SearchTimeMs { get; set; }
    public int? CrawlTimeMs { get; set; }
    public int? AvgIssueTimeMs { get; set; }
    public int? ParallelWorkers { get; set; }
    public string? DataPath { get; set; }
    public string Metadata { get; set; } = "{}";

    public SessionResponse ToResponse() => new(SessionId, SessionUuid, UserId, Product, OriginalQuery, ParsedQuery,
        QueryLanguage, MaxResults, CrawlRelated, Status, StartedAt, CompletedAt, DurationSeconds, TotalIssuesFound,
        IssuesCrawled, AttachmentsDownloaded, FailedIssues, RelatedIssues, SearchTimeMs, CrawlTimeMs, AvgIssueTimeMs,
        ParallelWorkers, DataPath, Json.Parse(Metadata) ?? default);

    /// <summary>Whether completing with <paramref name="request"/> would leave this finished session as it is.</summary>
    public bool Matches(CompleteSessionRequest request) =>
        Status == request.Status
        && Same(request.TotalIssuesFound, TotalIssuesFound) && Same(request.IssuesCrawled, IssuesCrawled)
        && Same(request.AttachmentsDownloaded, AttachmentsDownloaded) && Same(request.FailedIssues, FailedIssues)
        && Same(request.RelatedIssues, RelatedIssues) && Same(request.SearchTimeMs, SearchTimeMs)
        && Same(request.CrawlTimeMs, CrawlTimeMs) && Same(request.AvgIssueTimeMs, AvgIssueTimeMs)
        && Same(request.ParallelWorkers, ParallelWorkers)
        && (request.DataPath is null || request.DataPath == DataPath);

    private static bool Same(int? requested, int? stored) => requested is null || requested == stored;
}

/// <summary>A session as ims.v_session_detail shows it: the row plus its owner and counts.</summary>
internal sealed class SessionDetailRow : SessionRow
{
    public string? Username { get; set; }
    public long LinkedIssues { get; set; }
    public long IssuesWithErrors { get; set; }
    public long ErrorCount { get; set; }
    public long AttachmentCount { get; set; }

    public SessionDetailResponse ToDetail(IReadOnlyList<SessionIssue> issues, IReadOnlyList<SessionError> errors) => new(
        SessionId, SessionUuid, UserId, Username, Product, OriginalQuery, ParsedQuery, QueryLanguage, MaxResults, CrawlRelated,
        Status, StartedAt, CompletedAt, DurationSeconds, TotalIssuesFound, IssuesCrawled, AttachmentsDownloaded, FailedIssues,
        RelatedIssues, SearchTimeMs, CrawlTimeMs, AvgIssueTimeMs, ParallelWorkers, DataPath, Json.Parse(Metadata) ?? default,
        LinkedIssues, IssuesWithErrors, ErrorCount, AttachmentCount, issues, errors);
}

internal sealed class SessionErrorRow
{
    public long ErrorId { get; set; }
    public string? ErrorType { get; set; }
    public string? Severity { get; set; }
    public string? Message { get; set; }
    public string? Detail { get; set; }
    public DateTime? OccurredAt { get; set; }

    public SessionError ToError() => new(ErrorId, ErrorType, Severity, Message, Json.Parse(Detail), OccurredAt);
}
