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
public sealed record ListSessionsRequest(long? BeforeId, int? Limit);

public sealed record SessionResponse(
    long SessionId, string SessionUuid, int UserId, string Product, string OriginalQuery, string ParsedQuery,
    string? QueryLanguage, int? MaxResults, bool CrawlRelated, string Status, DateTime StartedAt, DateTime? CompletedAt,
    int? DurationSeconds, int TotalIssuesFound, int IssuesCrawled, int AttachmentsDownloaded, int FailedIssues,
    int RelatedIssues, int? SearchTimeMs, int? CrawlTimeMs, int? AvgIssueTimeMs, int? ParallelWorkers, string? DataPath,
    JsonElement Metadata);

public sealed record SessionPage(IReadOnlyList<SessionResponse> Items, long? NextBeforeId);

public sealed record BatchResponse(int Count, IReadOnlyList<long> Ids);

internal sealed class SessionRow
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
