using System.Globalization;
using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Analytics;

/// <summary>
/// The caller's dashboard and the analytics tables and views. Everything runs as the caller, so row-level
/// security scopes per-user figures: users see their own, admins and readonly users everyone's. The per-user
/// materialized view (no RLS possible) is read only by admins and readonly users; users get the same figures
/// computed live from their own sessions.
/// </summary>
public static class AnalyticsEndpoints
{
    public const int MaxRangeDays = 366;
    public const int DefaultDays = 30;

    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/dashboard").WithTags("Analytics").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", GetDashboard).WithName(nameof(GetDashboard))
            .WithSummary("The caller's dashboard, statistics and recent activity");
        return api;
    }

    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/analytics").WithTags("Analytics").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/daily", GetDailyAnalytics).WithName(nameof(GetDailyAnalytics))
            .WithSummary("Daily per-user analytics (ims.analytics_daily) over a date range")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/monthly", GetMonthlyAnalytics).WithName(nameof(GetMonthlyAnalytics))
            .WithSummary("Monthly per-user analytics (ims.analytics_monthly) over a month range")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/products", GetProductStats).WithName(nameof(GetProductStats))
            .WithSummary("Per-product session statistics (ims.v_product_stats)")
            .ProducesValidationProblem();
        api.MapGet("/trends", GetIssueTrends).WithName(nameof(GetIssueTrends))
            .WithSummary("Issues per product, status, priority and week (ims.mv_issue_trends)")
            .ProducesValidationProblem();
        api.MapGet("/daily-sessions", GetDailySessions).WithName(nameof(GetDailySessions))
            .WithSummary("Sessions per day, product and user")
            .WithDescription("Admins and readonly users read ims.mv_daily_session_summary (as of its last refresh); users get their own figures computed live from their sessions (`source` says which).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    public static async Task<Ok<DashboardResponse>> GetDashboard(HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var caller = http.User.GetDatabaseUser();
        var response = await database.RunAsync(caller, (connection, transaction, token) =>
            LoadDashboardAsync(connection, transaction, caller.UserId, token), cancellationToken);
        return TypedResults.Ok(response);
    }

    /// <summary>The three dashboard reads in one round trip; also used by the benchmark.</summary>
    public static async Task<DashboardResponse> LoadDashboardAsync(Npgsql.NpgsqlConnection connection,
        Npgsql.NpgsqlTransaction? transaction, int userId, CancellationToken token)
    {
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition("""
            select user_id as UserId, username as Username, full_name as FullName, department as Department, role as Role,
                   coalesce(is_active, false) as IsActive, last_login_at as LastLoginAt,
                   total_sessions::bigint as TotalSessions, successful_sessions::bigint as SuccessfulSessions,
                   failed_sessions::bigint as FailedSessions, running_sessions::bigint as RunningSessions,
                   total_issues_crawled::bigint as TotalIssuesCrawled, 0::bigint as UniqueIssues,
                   total_attachments::bigint as TotalAttachments, avg_session_duration_sec as AvgSessionDurationSec,
                   last_session_at as LastSessionAt, total_searches::bigint as TotalSearches
            from ims.v_user_dashboard where user_id = @userId;

            select total_sessions as TotalSessions, successful_sessions as SuccessfulSessions, failed_sessions as FailedSessions,
                   total_issues_crawled as TotalIssuesCrawled, unique_issues as UniqueIssues, total_attachments as TotalAttachments,
                   avg_session_duration_sec as AvgSessionDurationSec, last_session_date as LastSessionDate,
                   most_used_product::text as MostUsedProduct
            from ims.get_user_stats(@userId);

            select activity_type::text as ActivityType, session_uuid::text as SessionUuid, product::text as Product,
                   query as Query, status::text as Status, result_count as ResultCount, activity_at as ActivityAt
            from ims.v_recent_activity where user_id = @userId
            order by activity_at desc
            limit 20;
            """, new { userId }, transaction, cancellationToken: token));
        var dashboard = await grid.ReadSingleAsync<UserDashboard>();
        var stats = await grid.ReadSingleAsync<UserStats>();
        // The view's unique_issues is the same count get_user_stats reads from ims.user_issues (sql/13); not
        // selecting it lets the planner drop that join from the view, so it is read once per dashboard.
        dashboard = dashboard with { UniqueIssues = stats.UniqueIssues };
        var recent = (await grid.ReadAsync<RecentActivity>()).AsList();
        return new DashboardResponse(dashboard, stats, recent);
    }

    public static async Task<Results<Ok<AnalyticsPage<DailyStat>>, ValidationProblem, ProblemHttpResult>> GetDailyAnalytics(
        [AsParameters] DailyAnalyticsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var (from, to) = DayRange(errors, request.From, request.To);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var caller = http.User.GetDatabaseUser();
        if (ForbiddenUser(caller, request.UserId) is { } forbidden)
            return forbidden;

        var rows = await database.RunAsync(caller, async (connection, transaction, token) =>
            (await connection.QueryAsync<DailyRow>(new CommandDefinition("""
                select user_id as UserId, stat_date as StatDate, coalesce(sessions_count, 0) as SessionsCount,
                       coalesce(successful_sessions, 0) as SuccessfulSessions, coalesce(failed_sessions, 0) as FailedSessions,
                       coalesce(issues_crawled, 0) as IssuesCrawled, coalesce(unique_issues, 0) as UniqueIssues,
                       coalesce(new_issues, 0) as NewIssues, coalesce(attachments_downloaded, 0) as AttachmentsDownloaded,
                       avg_session_duration_sec as AvgSessionDurationSec, avg_issues_per_session as AvgIssuesPerSession,
                       product_stats::text as ProductStats, top_queries::text as TopQueries
                from ims.analytics_daily
                where stat_date between @from and @to
                  and (@userId::integer is null or user_id = @userId)
                order by stat_date, user_id
                """, new { from = ToDate(from), to = ToDate(to), userId = request.UserId }, transaction, cancellationToken: token))).AsList(),
            cancellationToken);
        return TypedResults.Ok(new AnalyticsPage<DailyStat>(from, to, rows.Select(row => row.ToStat()).ToList()));
    }

    public static async Task<Results<Ok<AnalyticsPage<MonthlyStat>>, ValidationProblem, ProblemHttpResult>> GetMonthlyAnalytics(
        [AsParameters] MonthlyAnalyticsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var to = Month(errors, "to", request.To) ?? new DateOnly(today.Year, today.Month, 1);
        var from = Month(errors, "from", request.From) ?? AddMonths(to, -11);
        if (from > to)
            errors.Add("from", "from must not be after to.");
        else if (LastDayOf(to).DayNumber + 1 - from.DayNumber > MaxRangeDays)
            errors.Add("to", $"The range from..to must be at most {MaxRangeDays} days (12 months).");
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var caller = http.User.GetDatabaseUser();
        if (ForbiddenUser(caller, request.UserId) is { } forbidden)
            return forbidden;

        var rows = await database.RunAsync(caller, async (connection, transaction, token) =>
            (await connection.QueryAsync<MonthlyRow>(new CommandDefinition("""
                select user_id as UserId, year as Year, month as Month, coalesce(total_sessions, 0) as TotalSessions,
                       avg_sessions_per_day as AvgSessionsPerDay, coalesce(total_issues_crawled, 0) as TotalIssuesCrawled,
                       coalesce(unique_issues, 0) as UniqueIssues, keyword_trends::text as KeywordTrends,
                       product_distribution::text as ProductDistribution, issue_status_breakdown::text as IssueStatusBreakdown,
                       avg_parsing_confidence as AvgParsingConfidence, synonym_expansion_rate as SynonymExpansionRate
                from ims.analytics_monthly
                where (year, month) >= (@fromYear, @fromMonth) and (year, month) <= (@toYear, @toMonth)
                  and (@userId::integer is null or user_id = @userId)
                order by year, month, user_id
                """, new { fromYear = from.Year, fromMonth = from.Month, toYear = to.Year, toMonth = to.Month, userId = request.UserId },
                transaction, cancellationToken: token))).AsList(),
            cancellationToken);
        return TypedResults.Ok(new AnalyticsPage<MonthlyStat>(from, LastDayOf(to), rows.Select(row => row.ToStat()).ToList()));
    }

    public static async Task<Results<Ok<IReadOnlyList<ProductStat>>, ValidationProblem>> GetProductStats(
        [AsParameters] ProductStatsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var rows = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
            (IReadOnlyList<ProductStat>)(await connection.QueryAsync<ProductStat>(new CommandDefinition("""
                select product::text as Product, total_sessions as TotalSessions, successful_sessions as SuccessfulSessions,
                       failed_sessions as FailedSessions, user_count as UserCount, total_issues_crawled::bigint as TotalIssuesCrawled,
                       unique_issues as UniqueIssues, avg_session_duration_sec as AvgSessionDurationSec,
                       avg_issues_per_session as AvgIssuesPerSession, last_crawled_at as LastCrawledAt
                from ims.v_product_stats
                where @product::text is null or ims.product_in_family(product, @product)
                order by total_sessions desc, product
                """, new { product }, transaction, cancellationToken: token))).AsList(), cancellationToken);
        return TypedResults.Ok(rows);
    }

    public static async Task<Results<Ok<IReadOnlyList<IssueTrend>>, ValidationProblem>> GetIssueTrends(
        [AsParameters] TrendsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        var status = QueryParameters.Text(errors, "status", request.Status, 50);
        var priority = QueryParameters.Text(errors, "priority", request.Priority, 20);
        var weeks = request.Weeks ?? 12;
        errors.Range("weeks", weeks, 1, 104);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var rows = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
            (await connection.QueryAsync<TrendRow>(new CommandDefinition("""
                select product::text as Product, status::text as Status, priority::text as Priority, week as Week,
                       issue_count as IssueCount, closed_count as ClosedCount, avg_days_to_close as AvgDaysToClose
                from ims.mv_issue_trends
                where week >= (date_trunc('week', now() at time zone ims.stats_time_zone()) - make_interval(weeks => @weeks - 1))::date
                  and (@product::text is null or ims.product_in_family(product, @product))
                  and (@status::text is null or lower(status) = lower(@status))
                  and (@priority::text is null or lower(priority) = lower(@priority))
                order by week desc, product, status, priority
                """, new { product, status, priority, weeks }, transaction, cancellationToken: token))).AsList(),
            cancellationToken);
        return TypedResults.Ok((IReadOnlyList<IssueTrend>)rows.Select(row => row.ToTrend()).ToList());
    }

    public static async Task<Results<Ok<DailySessionsResponse>, ValidationProblem, ProblemHttpResult>> GetDailySessions(
        [AsParameters] DailySessionsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var (from, to) = DayRange(errors, request.From, request.To);
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var caller = http.User.GetDatabaseUser();
        if (ForbiddenUser(caller, request.UserId) is { } forbidden)
            return forbidden;

        // Users may not read the materialized view (it cannot apply RLS): the same figures, live, from the
        // sessions RLS shows them (their own), over the user's index on (user_id, started_at).
        var live = caller.Role == DatabaseUser.User;
        var sql = live
            ? """
              select (cs.started_at at time zone ims.stats_time_zone())::date as Day, cs.product::text as Product,
                     cs.user_id as UserId, count(*) as SessionCount,
                     count(*) filter (where cs.status = 'completed') as CompletedCount,
                     count(*) filter (where cs.status = 'failed') as FailedCount,
                     coalesce(sum(cs.issues_crawled), 0)::bigint as IssuesCrawled,
                     coalesce(sum(cs.attachments_downloaded), 0)::bigint as AttachmentsDownloaded,
                     round(avg(cs.duration_seconds), 2) as AvgDurationSec,
                     coalesce(sum(cs.duration_seconds), 0)::bigint as TotalDurationSec
              from ims.crawl_sessions cs
              where cs.user_id = @me
                and cs.started_at >= (@from::date)::timestamp at time zone ims.stats_time_zone()
                and cs.started_at < (@to::date + 1)::timestamp at time zone ims.stats_time_zone()
                and (@product::text is null or ims.product_in_family(cs.product, @product))
              group by 1, 2, 3
              order by 1, 2, 3
              """
            : """
              select day as Day, product::text as Product, user_id as UserId, session_count as SessionCount,
                     completed_count as CompletedCount, failed_count as FailedCount, issues_crawled::bigint as IssuesCrawled,
                     attachments_downloaded::bigint as AttachmentsDownloaded, avg_duration_sec as AvgDurationSec,
                     total_duration_sec::bigint as TotalDurationSec
              from ims.mv_daily_session_summary
              where day between @from and @to
                and (@userId::integer is null or user_id = @userId)
                and (@product::text is null or ims.product_in_family(product, @product))
              order by day, product, user_id
              """;
        var rows = await database.RunAsync(caller, async (connection, transaction, token) =>
            (await connection.QueryAsync<DailySessionRow>(new CommandDefinition(sql,
                new { from = ToDate(from), to = ToDate(to), product, userId = request.UserId, me = caller.UserId },
                transaction, cancellationToken: token))).AsList(), cancellationToken);
        return TypedResults.Ok(new DailySessionsResponse(live ? "live" : "materialized", rows.Select(row => row.ToSummary()).ToList()));
    }

    /// <summary>Users read only their own figures: asking for someone else's is a 403 (not an empty list).</summary>
    private static ProblemHttpResult? ForbiddenUser(DatabaseUser caller, int? userId) =>
        caller.Role == DatabaseUser.User && userId is { } id && id != caller.UserId
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Users see only their own analytics; leave userId out or pass your own.")
            : null;

    private static (DateOnly From, DateOnly To) DayRange(RequestErrors errors, string? fromText, string? toText)
    {
        var to = QueryParameters.Day(errors, "to", toText) ?? DateOnly.FromDateTime(DateTime.UtcNow);
        // Defaults stop at the calendar's first day (to=0001-01-05 is a valid, if empty, range).
        var from = QueryParameters.Day(errors, "from", fromText)
                   ?? DateOnly.FromDayNumber(Math.Max(0, to.DayNumber - (DefaultDays - 1)));
        QueryParameters.Range(errors, from, to, MaxRangeDays);
        return (from, to);
    }

    /// <summary>The first of the month <paramref name="months"/> after <paramref name="month"/>'s, kept within years 1-9999.</summary>
    private static DateOnly AddMonths(DateOnly month, int months)
    {
        var index = Math.Clamp(month.Year * 12 + month.Month - 1 + months, 12, 9999 * 12 + 11);
        return new DateOnly(index / 12, index % 12 + 1, 1);
    }

    private static DateOnly LastDayOf(DateOnly month) => new(month.Year, month.Month, DateTime.DaysInMonth(month.Year, month.Month));

    private static DateOnly? Month(RequestErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            return month;
        errors.Add(field, $"{field} must be a month like 2024-03.");
        return null;
    }

    private static DateTime ToDate(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

    private sealed class DailyRow
    {
        public int? UserId { get; set; }
        public DateOnly StatDate { get; set; }
        public int SessionsCount { get; set; }
        public int SuccessfulSessions { get; set; }
        public int FailedSessions { get; set; }
        public int IssuesCrawled { get; set; }
        public int UniqueIssues { get; set; }
        public int NewIssues { get; set; }
        public int AttachmentsDownloaded { get; set; }
        public int? AvgSessionDurationSec { get; set; }
        public decimal? AvgIssuesPerSession { get; set; }
        public string? ProductStats { get; set; }
        public string? TopQueries { get; set; }

        public DailyStat ToStat() => new(UserId, StatDate, SessionsCount, SuccessfulSessions,
            FailedSessions, IssuesCrawled, UniqueIssues, NewIssues, AttachmentsDownloaded, AvgSessionDurationSec,
            AvgIssuesPerSession, Json.Parse(ProductStats), Json.Parse(TopQueries));
    }

    private sealed class MonthlyRow
    {
        public int? UserId { get; set; }
        public int Year { get; set; }
        public int Month { get; set; }
        public int TotalSessions { get; set; }
        public decimal? AvgSessionsPerDay { get; set; }
        public int TotalIssuesCrawled { get; set; }
        public int UniqueIssues { get; set; }
        public string? KeywordTrends { get; set; }
        public string? ProductDistribution { get; set; }
        public string? IssueStatusBreakdown { get; set; }
        public decimal? AvgParsingConfidence { get; set; }
        public decimal? SynonymExpansionRate { get; set; }

        public MonthlyStat ToStat() => new(UserId, Year, Month, TotalSessions, AvgSessionsPerDay, TotalIssuesCrawled,
            UniqueIssues, Json.Parse(KeywordTrends), Json.Parse(ProductDistribution), Json.Parse(IssueStatusBreakdown),
            AvgParsingConfidence, SynonymExpansionRate);
    }

    private sealed class TrendRow
    {
        public string Product { get; set; } = "";
        public string Status { get; set; } = "";
        public string Priority { get; set; } = "";
        public DateOnly Week { get; set; }
        public long IssueCount { get; set; }
        public long ClosedCount { get; set; }
        public decimal? AvgDaysToClose { get; set; }

        public IssueTrend ToTrend() => new(Product, Status, Priority, Week, IssueCount, ClosedCount, AvgDaysToClose);
    }

    private sealed class DailySessionRow
    {
        public DateOnly Day { get; set; }
        public string Product { get; set; } = "";
        public int UserId { get; set; }
        public long SessionCount { get; set; }
        public long CompletedCount { get; set; }
        public long FailedCount { get; set; }
        public long IssuesCrawled { get; set; }
        public long AttachmentsDownloaded { get; set; }
        public decimal? AvgDurationSec { get; set; }
        public long TotalDurationSec { get; set; }

        public DailySessionSummary ToSummary() => new(Day, Product, UserId, SessionCount, CompletedCount,
            FailedCount, IssuesCrawled, AttachmentsDownloaded, AvgDurationSec, TotalDurationSec);
    }
}
