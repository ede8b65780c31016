using System.Text.Json;

namespace ImsCrawler.Web.Api;

// The Api's JSON shapes as the Web reads them (camelCase on the wire). Only ImsApiClient deserializes
// them: when the Api changes a shape, this file and ImsApiClient.cs are the places to change.

/// <summary>One page of a keyset-paged list, whatever the Api calls its cursor: <see cref="Next"/> is opaque.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next, long? Total = null, bool TotalIsEstimate = false);

public sealed record UserInfo(
    int UserId, string Username, string? Email, string? FullName, string? Department, string Role, bool IsActive,
    DateTimeOffset? CreatedAt, DateTimeOffset? LastLoginAt);

public sealed record ApiKeyInfo(
    long KeyId, int UserId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedApiKey(long KeyId, int UserId, string Name, string Prefix, string Key, DateTimeOffset CreatedAt);

public sealed record Me(UserInfo User, IReadOnlyList<ApiKeyInfo> Keys);

public sealed record NewUser(string Username, string? Email, string? FullName, string? Department, string Role);

// Search

public sealed record SearchQuery(
    string Q, string? Product = null, string? Status = null, string? Priority = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? Cursor = null, int? Limit = null);

/// <param name="Snippet">HTML from the Api: escaped text with &lt;mark&gt; around matches (sanitized again before display).</param>
public sealed record SearchHit(
    string IssueId, string Title, string? Product, string? Status, string? Priority, DateTimeOffset? ModifiedDate,
    float Rank, string MatchedIn, string Snippet);

/// <param name="InterpretedAs">How the Api read the query, when it says so.</param>
public sealed record SearchResults(Page<SearchHit> Hits, string? InterpretedAs);

// Issues

public sealed record IssueComment(long CommentId, int? CommentNumber, string? Author, string? Content, DateTimeOffset? CommentedAt);

public sealed record IssueHistoryEntry(
    long HistoryId, string? ChangedBy, DateTimeOffset? ChangedAt, string? ChangeType, string? FieldName, string? OldValue,
    string? NewValue, string? Description);

public sealed record IssueAttachment(
    long AttachmentId, string Filename, string? FileType, long? FileSize, string? DownloadUrl, bool Downloaded,
    string? DownloadError, bool TextExtracted, string? ExtractedText, string? SessionUuid, DateTimeOffset? CreatedAt);

public sealed record IssueSession(
    string SessionUuid, int UserId, string Product, string OriginalQuery, string Status, DateTimeOffset StartedAt,
    int? CrawlOrder, bool HadErrors, string? ErrorMessage);

public sealed record IssueDetail(
    string IssueId, string Title, string? Description, string? Product, string? Status, string? Priority, string? Severity,
    string? IssueType, string? Reporter, string? Owner, string? Manager, DateTimeOffset? RegisteredDate,
    DateTimeOffset? ModifiedDate, DateTimeOffset? ClosedDate, string? ProjectCode, string? ProjectName, string? Site,
    string? Customer, string? FoundVersion, string? FixedVersion, string? TargetVersion, DateTimeOffset? FirstCrawledAt,
    DateTimeOffset? LastCrawledAt, int CrawlCount, IReadOnlyList<IssueComment> Comments, IReadOnlyList<IssueHistoryEntry> History,
    IReadOnlyList<IssueAttachment> Attachments, IReadOnlyList<IssueSession> Sessions);

public sealed record SimilarIssue(string IssueId, string Title, string? Product, string? Status);

// Sessions

public sealed record SessionQuery(
    string? Product = null, string? Status = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Cursor = null,
    int? Limit = null);

public sealed record SessionSummary(
    long SessionId, string SessionUuid, int UserId, string Product, string OriginalQuery, string Status,
    DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, int? DurationSeconds, int TotalIssuesFound, int IssuesCrawled,
    int AttachmentsDownloaded, int FailedIssues);

public sealed record SessionIssue(
    string IssueId, string Title, string? Product, string? Status, int? CrawlOrder, int? CrawlDurationMs, bool HadErrors,
    string? ErrorMessage);

public sealed record SessionError(long ErrorId, string? ErrorType, string? Severity, string? Message, DateTimeOffset? OccurredAt);

public sealed record SessionDetail(
    string SessionUuid, int UserId, string? Username, string Product, string OriginalQuery, string ParsedQuery,
    string? QueryLanguage, int? MaxResults, bool CrawlRelated, string Status, DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt, int? DurationSeconds, int TotalIssuesFound, int IssuesCrawled, int AttachmentsDownloaded,
    int FailedIssues, int RelatedIssues, int? ParallelWorkers, long LinkedIssues, long ErrorCount, long AttachmentCount,
    IReadOnlyList<SessionIssue> Issues, IReadOnlyList<SessionError> Errors);

public sealed record RetentionReport(int UserId, int OlderThanDays, int DeletedSessions, int DeletedAttachments);

// Dashboard and analytics

public sealed record UserStats(
    long TotalSessions, long SuccessfulSessions, long FailedSessions, long TotalIssuesCrawled, long UniqueIssues,
    long TotalAttachments, decimal? AvgSessionDurationSec, DateTimeOffset? LastSessionDate, string? MostUsedProduct);

public sealed record RecentActivity(
    string ActivityType, string? SessionUuid, string? Product, string? Query, string? Status, int? ResultCount,
    DateTimeOffset ActivityAt);

public sealed record DashboardSummary(UserStats Stats, long RunningSessions, long TotalSearches, IReadOnlyList<RecentActivity> RecentActivity);

public sealed record DailySessions(DateOnly Day, string Product, long SessionCount, long CompletedCount, long FailedCount);

public sealed record ProductStat(string Product, long TotalSessions, long SuccessfulSessions, long FailedSessions, long UniqueIssues);

public sealed record MonthlyStat(int Year, int Month, int TotalSessions, int TotalIssuesCrawled, int UniqueIssues);

// Administration

public sealed record JobRun(
    long RunId, string Period, string Trigger, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    long? RowsAffected, string? Error);

/// <param name="PeriodKind"><c>day</c>, <c>month</c> or <c>none</c>: what "run now" may be given.</param>
public sealed record JobInfo(
    string Name, string Description, string Schedule, string TimeZone, string PeriodKind, bool Enabled,
    DateTimeOffset? NextRunAt, IReadOnlyList<JobRun> LastRuns);

public sealed record JobRequested(long RequestId, string Job, string? Period);

public sealed record DatabaseInfo(
    string Database, long SizeBytes, string Size, string ServerVersion, DateTimeOffset StartedAt, double UptimeSeconds,
    int Connections, int MaxConnections);

public sealed record TableInfo(
    string Table, string Kind, long RowEstimate, long? LiveRows, long? DeadRows, long TotalBytes, long IndexBytes,
    DateTimeOffset? LastAutovacuum, DateTimeOffset? LastAutoanalyze);

public sealed record IndexInfo(string Index, string Table, bool IsUnique, long Scans, long SizeBytes);

public sealed record ConnectionInfo(
    int Pid, string? Username, string? ApplicationName, string? ClientAddress, string? State, DateTimeOffset? QueryStart,
    string? WaitEvent, string? Query);

public sealed record SlowQuery(string Query, long Calls, double TotalMs, double MeanMs, double MaxMs, long Rows);

public sealed record SlowQueries(bool Available, string? Message, IReadOnlyList<SlowQuery> Items);

public sealed record AuditEntry(
    long LogId, int? UserId, string Action, string? ResourceType, string? ResourceId, JsonElement? NewValue,
    string? IpAddress, DateTimeOffset? CreatedAt);
