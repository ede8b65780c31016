using System.Text.Json;

namespace ImsCrawler.Api.Analytics;

/// <param name="From">First day, <c>yyyy-MM-dd</c> (default: 29 days before <c>to</c>).</param>
/// <param name="To">Last day, inclusive (default: today, UTC). At most 366 days from <c>from</c>.</param>
/// <param name="UserId">Admins and readonly users: one user's rows (default: everyone's). Users always get their own.</param>
public sealed record DailyAnalyticsRequest(string? From, string? To, int? UserId);

/// <param name="From">First month, <c>yyyy-MM</c> (default: 11 months before <c>to</c>).</param>
/// <param name="To">Last month, inclusive (default: this month, UTC). At most 12 months.</param>
/// <param name="UserId">Admins and readonly users: one user's rows. Users always get their own.</param>
public sealed record MonthlyAnalyticsRequest(string? From, string? To, int? UserId);

/// <param name="Product">Product family.</param>
public sealed record ProductStatsRequest(string? Product);

/// <param name="Product">Product family.</param>
/// <param name="Weeks">How many weeks back, this week included (1–104, default 12).</param>
public sealed record TrendsRequest(string? Product, string? Status, string? Priority, int? Weeks);

/// <summary>The issue trends asked for: product family, status and priority (ignoring case), weeks back.</summary>
public sealed record TrendFilter(string? Product, string? Status, string? Priority, int Weeks);

/// <param name="From">First day, <c>yyyy-MM-dd</c> (default: 29 days before <c>to</c>).</param>
/// <param name="To">Last day, inclusive (default: today). At most 366 days.</param>
/// <param name="Product">Product family.</param>
/// <param name="UserId">Admins and readonly users: one user's rows.</param>
public sealed record DailySessionsRequest(string? From, string? To, string? Product, int? UserId);

public sealed record UserDashboard(
    int UserId, string Username, string? FullName, string? Department, string? Role, bool IsActive, DateTime? LastLoginAt,
    long TotalSessions, long SuccessfulSessions, long FailedSessions, long RunningSessions, long TotalIssuesCrawled,
    long UniqueIssues, long TotalAttachments, decimal? AvgSessionDurationSec, DateTime? LastSessionAt, long TotalSearches);

/// <summary>ims.get_user_stats: exact per-session figures.</summary>
public sealed record UserStats(
    long TotalSessions, long SuccessfulSessions, long FailedSessions, long TotalIssuesCrawled, long UniqueIssues,
    long TotalAttachments, decimal? AvgSessionDurationSec, DateTime? LastSessionDate, string? MostUsedProduct);

/// <param name="ActivityType"><c>crawl</c> or <c>search</c>.</param>
public sealed record RecentActivity(
    string ActivityType, string? SessionUuid, string? Product, string? Query, string? Status, int? ResultCount, DateTime ActivityAt);

/// <summary>The caller's dashboard (ims.v_user_dashboard), statistics (ims.get_user_stats) and last 20 activities (30 days).</summary>
public sealed record DashboardResponse(UserDashboard Dashboard, UserStats Stats, IReadOnlyList<RecentActivity> RecentActivity);

public sealed record DailyStat(
    int? UserId, DateOnly StatDate, int SessionsCount, int SuccessfulSessions, int FailedSessions, int IssuesCrawled,
    int UniqueIssues, int NewIssues, int AttachmentsDownloaded, int? AvgSessionDurationSec, decimal? AvgIssuesPerSession,
    JsonElement? ProductStats, JsonElement? TopQueries);

public sealed record MonthlyStat(
    int? UserId, int Year, int Month, int TotalSessions, decimal? AvgSessionsPerDay, int TotalIssuesCrawled, int UniqueIssues,
    JsonElement? KeywordTrends, JsonElement? ProductDistribution, JsonElement? IssueStatusBreakdown,
    decimal? AvgParsingConfidence, decimal? SynonymExpansionRate);

public sealed record ProductStat(
    string Product, long TotalSessions, long SuccessfulSessions, long FailedSessions, long UserCount,
    long TotalIssuesCrawled, long UniqueIssues, decimal? AvgSessionDurationSec, decimal? AvgIssuesPerSession,
    DateTime? LastCrawledAt);

public sealed record IssueTrend(
    string Product, string Status, string Priority, DateOnly Week, long IssueCount, long ClosedCount, decimal? AvgDaysToClose);

public sealed record DailySessionSummary(
    DateOnly Day, string Product, int UserId, long SessionCount, long CompletedCount, long FailedCount, long IssuesCrawled,
    long AttachmentsDownloaded, decimal? AvgDurationSec, long TotalDurationSec);

/// <param name="Source"><c>materialized</c>: ims.mv_daily_session_summary (as of its last refresh by the Jobs
/// service; admins and readonly users); <c>live</c>: computed now from the caller's own sessions (users).</param>
public sealed record DailySessionsResponse(string Source, IReadOnlyList<DailySessionSummary> Items);

public sealed record AnalyticsPage<T>(DateOnly From, DateOnly To, IReadOnlyList<T> Items);
