using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Sessions;

/// <param name="SessionUuid">Optional client-chosen id: retrying with the same one returns the existing session (200).</param>
public sealed record StartSessionRequest(
    string? SessionUuid, string? Product, string? OriginalQuery, string? ParsedQuery, string? QueryLanguage,
    int? MaxResults, bool? CrawlRelated, JsonElement? Metadata)
{
    public void Validate(RequestErrors errors)
    {
        if (SessionUuid is not null)
        {
            errors.Required("sessionUuid", SessionUuid, 100);
            if (SessionUuid.Any(char.IsWhiteSpace) || SessionUuid.Contains('/'))
                errors.Add("sessionUuid", "sessionUuid must not contain whitespace or '/'.");
        }
        errors.Required("product", Product, 100);
        errors.Required("originalQuery", OriginalQuery, 10_000);
        errors.MaxLength("parsedQuery", ParsedQuery, 10_000);
        errors.MaxLength("queryLanguage", QueryLanguage, 10);
        errors.Range("maxResults", MaxResults, 1, 100_000);
        errors.JsonObject("metadata", Metadata);
    }
}

/// <summary>Absent counters keep their current value (0 or null).</summary>
public sealed record CompleteSessionRequest(
    string? Status, int? TotalIssuesFound, int? IssuesCrawled, int? AttachmentsDownloaded, int? FailedIssues,
    int? RelatedIssues, int? SearchTimeMs, int? CrawlTimeMs, int? AvgIssueTimeMs, int? ParallelWorkers, string? DataPath)
{
    public static readonly string[] FinalStatuses = ["completed", "failed", "cancelled"];

    public void Validate(RequestErrors errors)
    {
        if (string.IsNullOrEmpty(Status))
            errors.Add("status", "status is required.");
        errors.OneOf("status", Status, FinalStatuses);
        foreach (var (field, value) in Counters())
            errors.Range(field, value, 0, int.MaxValue);
        errors.MaxLength("dataPath", DataPath, 4096);
    }

    /// <summary>Whether completing <paramref name="session"/> (already finished) this way would leave it as it is.</summary>
    public bool WouldLeaveUnchanged(SessionResponse session) =>
        Status == session.Status
        && Same(TotalIssuesFound, session.TotalIssuesFound) && Same(IssuesCrawled, session.IssuesCrawled)
        && Same(AttachmentsDownloaded, session.AttachmentsDownloaded) && Same(FailedIssues, session.FailedIssues)
        && Same(RelatedIssues, session.RelatedIssues) && Same(SearchTimeMs, session.SearchTimeMs)
        && Same(CrawlTimeMs, session.CrawlTimeMs) && Same(AvgIssueTimeMs, session.AvgIssueTimeMs)
        && Same(ParallelWorkers, session.ParallelWorkers)
        && (DataPath is null || DataPath == session.DataPath);

    private (string Field, int? Value)[] Counters() =>
    [
        ("totalIssuesFound", TotalIssuesFound), ("issuesCrawled", IssuesCrawled),
        ("attachmentsDownloaded", AttachmentsDownloaded), ("failedIssues", FailedIssues),
        ("relatedIssues", RelatedIssues), ("searchTimeMs", SearchTimeMs), ("crawlTimeMs", CrawlTimeMs),
        ("avgIssueTimeMs", AvgIssueTimeMs), ("parallelWorkers", ParallelWorkers),
    ];

    private static bool Same(int? requested, int? stored) => requested is null || requested == stored;
}

public sealed record SessionErrorRequest(
    string? ErrorType, string? Severity, string? Message, JsonElement? Detail, DateTimeOffset? OccurredAt)
{
    private static readonly string[] Severities = ["error", "warning", "info"];

    public static void Validate(RequestErrors errors, SessionErrorRequest[] batch) =>
        SessionBatch.Validate(errors, batch, "error", (item, at) =>
        {
            errors.Required($"{at}.message", item.Message, 100_000);
            errors.MaxLength($"{at}.errorType", item.ErrorType, 50);
            errors.OneOf($"{at}.severity", item.Severity, Severities);
        });
}

/// <summary>A search_queries row; product and queryLanguage default to the session's.</summary>
public sealed record SearchQueryRequest(
    string? OriginalQuery, string? ParsedQuery, string? QueryLanguage, string? Product, int? ResultsCount,
    string? ParsingMethod, decimal? ParsingConfidence, bool? SynonymExpanded, bool? IntentFiltered, DateTimeOffset? QueriedAt)
{
    public static void Validate(RequestErrors errors, SearchQueryRequest[] batch) =>
        SessionBatch.Validate(errors, batch, "query", (item, at) =>
        {
            errors.Required($"{at}.originalQuery", item.OriginalQuery, 10_000);
            errors.MaxLength($"{at}.parsedQuery", item.ParsedQuery, 10_000);
            errors.MaxLength($"{at}.queryLanguage", item.QueryLanguage, 10);
            errors.MaxLength($"{at}.product", item.Product, 100);
            errors.MaxLength($"{at}.parsingMethod", item.ParsingMethod, 50);
            errors.Range($"{at}.resultsCount", item.ResultsCount, 0, int.MaxValue);
            if (item.ParsingConfidence is < 0m or > 999.99m)
                errors.Add($"{at}.parsingConfidence", $"{at}.parsingConfidence must be between 0 and 999.99.");
        });
}

/// <summary>The batches a session records (errors, search queries): a JSON array of 1 to <see cref="MaxItems"/> objects.</summary>
public static class SessionBatch
{
    public const int MaxItems = 1000;

    public static void Validate<T>(RequestErrors errors, T[] batch, string noun, Action<T, string> validateItem)
    {
        if (batch.Length == 0)
            errors.Add("body", "Send a JSON array with at least one item.");
        else if (batch.Length > MaxItems)
            errors.Add("body", string.Create(CultureInfo.InvariantCulture, $"Send at most {MaxItems} items per request."));
        for (var i = 0; i < batch.Length; i++)
        {
            if (batch[i] is null)
                errors.Add($"[{i}]", $"Each {noun} must be an object.");
            else
                validateItem(batch[i], $"[{i}]");
        }
    }
}

public sealed record ListSessionsRequest(
    [property: Description(Keyset.CursorDescription)] string? Cursor,
    [property: Description("Sessions per page, 1–200, default 50.")] int? Limit,
    [property: Description("Product family (OpenFrame also matches OpenFrame Batch).")] string? Product = null,
    [property: Description("running, completed, failed or cancelled.")] string? Status = null,
    [property: Description("Started at or after (ISO 8601 date or date-time).")] string? From = null,
    [property: Description("Started before (ISO 8601 date or date-time).")] string? To = null);

/// <summary>The sessions a list shows: product family, status, started from (inclusive) to (exclusive).</summary>
public sealed record SessionFilter(string? Product, string? Status, DateTimeOffset? From, DateTimeOffset? To);

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
/// A crawl session (ims.crawl_sessions). Read by Dapper through its properties and extended by
/// <see cref="SessionDetailResponse"/>, so that the session's fields are declared once.
/// </summary>
public record SessionResponse
{
    public required long SessionId { get; init; }
    public required string SessionUuid { get; init; }
    public required int UserId { get; init; }
    public required string Product { get; init; }
    public required string OriginalQuery { get; init; }
    public required string ParsedQuery { get; init; }
    public required string? QueryLanguage { get; init; }
    public required int? MaxResults { get; init; }
    public required bool CrawlRelated { get; init; }
    public required string Status { get; init; }
    public required DateTime StartedAt { get; init; }
    public required DateTime? CompletedAt { get; init; }
    public required int? DurationSeconds { get; init; }
    public required int TotalIssuesFound { get; init; }
    public required int IssuesCrawled { get; init; }
    public required int AttachmentsDownloaded { get; init; }
    public required int FailedIssues { get; init; }
    public required int RelatedIssues { get; init; }
    public required int? SearchTimeMs { get; init; }
    public required int? CrawlTimeMs { get; init; }
    public required int? AvgIssueTimeMs { get; init; }
    public required int? ParallelWorkers { get; init; }
    public required string? DataPath { get; init; }
    public required JsonElement Metadata { get; init; }
}

/// <summary>What ims.v_session_detail adds to a session: its owner's name and its counts.</summary>
public sealed record SessionCounts(string? Username, long LinkedIssues, long IssuesWithErrors, long ErrorCount, long AttachmentCount);

/// <summary>
/// A session as ims.v_session_detail shows it (the session, its owner and counts), with its linked issues in
/// crawl order and its errors, newest first (at most <see cref="MaxIssues"/> and <see cref="MaxErrors"/>;
/// the counts are always complete).
/// </summary>
public sealed record SessionDetailResponse : SessionResponse
{
    public const int MaxIssues = 1000;
    public const int MaxErrors = 500;

    [SetsRequiredMembers]
    public SessionDetailResponse(SessionResponse session, SessionCounts counts, IReadOnlyList<SessionIssue> issues,
        IReadOnlyList<SessionError> errors) : base(session)
    {
        (Username, LinkedIssues, IssuesWithErrors, ErrorCount, AttachmentCount) = counts;
        Issues = issues;
        Errors = errors;
    }

    /// <summary>For readers of the JSON.</summary>
    [JsonConstructor]
    public SessionDetailResponse()
    {
    }

    public required string? Username { get; init; }
    public required long LinkedIssues { get; init; }
    public required long IssuesWithErrors { get; init; }
    public required long ErrorCount { get; init; }
    public required long AttachmentCount { get; init; }
    public required IReadOnlyList<SessionIssue> Issues { get; init; }
    public required IReadOnlyList<SessionError> Errors { get; init; }
}

public sealed record BatchResponse(int Count, IReadOnlyList<long> Ids);
