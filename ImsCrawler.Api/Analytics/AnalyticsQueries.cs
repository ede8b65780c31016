using Dapper;
using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Analytics;

/// <summary>
/// The SQL of the dashboard and the analytics tables and views. It runs as the caller, so row-level security scopes
/// per-user figures: users see their own, admins and readonly users everyone's. Nothing here writes.
/// </summary>
public static class AnalyticsQueries
{
    private const string DashboardSql = """
        select user_id, username, full_name, department, role, coalesce(is_active, false) as is_active, last_login_at,
               total_sessions::bigint, successful_sessions::bigint, failed_sessions::bigint, running_sessions::bigint,
               total_issues_crawled::bigint, 0::bigint as unique_issues, total_attachments::bigint, avg_session_duration_sec,
               last_session_at, total_searches::bigint
        from ims.v_user_dashboard where user_id = @userId;

        select total_sessions, successful_sessions, failed_sessions, total_issues_crawled, unique_issues, total_attachments,
               avg_session_duration_sec, last_session_date, most_used_product::text
        from ims.get_user_stats(@userId);

        select activity_type::text, session_uuid::text, product::text, query, status::text, result_count, activity_at
        from ims.v_recent_activity where user_id = @userId
        order by activity_at desc
        limit 20;
        """;

    private static readonly string DailySql = $"""
        select user_id, stat_date, coalesce(sessions_count, 0) as sessions_count,
               coalesce(successful_sessions, 0) as successful_sessions, coalesce(failed_sessions, 0) as failed_sessions,
               coalesce(issues_crawled, 0) as issues_crawled, coalesce(unique_issues, 0) as unique_issues,
               coalesce(new_issues, 0) as new_issues, coalesce(attachments_downloaded, 0) as attachments_downloaded,
               avg_session_duration_sec, avg_issues_per_session, product_stats, top_queries
        from ims.analytics_daily
        where stat_date between @from and @to
          and {SqlFilter.Equal("user_id", "userId", "integer")}
        order by stat_date, user_id
        """;

    private static readonly string MonthlySql = $"""
        select user_id, year, month, coalesce(total_sessions, 0) as total_sessions, avg_sessions_per_day,
               coalesce(total_issues_crawled, 0) as total_issues_crawled, coalesce(unique_issues, 0) as unique_issues,
               keyword_trends, product_distribution, issue_status_breakdown, avg_parsing_confidence, synonym_expansion_rate
        from ims.analytics_monthly
        where (year, month) >= (@fromYear, @fromMonth) and (year, month) <= (@toYear, @toMonth)
          and {SqlFilter.Equal("user_id", "userId", "integer")}
        order by year, month, user_id
        """;

    private static readonly string ProductStatsSql = $"""
        select product::text, total_sessions, successful_sessions, failed_sessions, user_count,
               total_issues_crawled::bigint, unique_issues, avg_session_duration_sec, avg_issues_per_session, last_crawled_at
        from ims.v_product_stats
        where {SqlFilter.InFamily("product")}
        order by total_sessions desc, product
        """;

    private static readonly string TrendsSql = $"""
        select product::text, status::text, priority::text, week, issue_count, closed_count, avg_days_to_close
        from ims.mv_issue_trends
        where week >= (date_trunc('week', now() at time zone ims.stats_time_zone()) - make_interval(weeks => @weeks - 1))::date
          and {SqlFilter.InFamily("product")}
          and {SqlFilter.EqualIgnoringCase("status", "status")}
          and {SqlFilter.EqualIgnoringCase("priority", "priority")}
        order by week desc, product, status, priority
        """;

    // Users may not read the materialized view (it cannot apply RLS): the same figures, live, from the sessions RLS
    // shows them (their own), over the user's index on (user_id, started_at).
    private static readonly string LiveDailySessionsSql = $"""
        select (cs.started_at at time zone ims.stats_time_zone())::date as day, cs.product::text, cs.user_id,
               count(*) as session_count,
               count(*) filter (where cs.status = 'completed') as completed_count,
               count(*) filter (where cs.status = 'failed') as failed_count,
               coalesce(sum(cs.issues_crawled), 0)::bigint as issues_crawled,
               coalesce(sum(cs.attachments_downloaded), 0)::bigint as attachments_downloaded,
               round(avg(cs.duration_seconds), 2) as avg_duration_sec,
               coalesce(sum(cs.duration_seconds), 0)::bigint as total_duration_sec
        from ims.crawl_sessions cs
        where cs.user_id = @me
          and cs.started_at >= (@from::date)::timestamp at time zone ims.stats_time_zone()
          and cs.started_at < (@to::date + 1)::timestamp at time zone ims.stats_time_zone()
          and {SqlFilter.InFamily("cs.product")}
        group by 1, 2, 3
        order by 1, 2, 3
        """;

    private static readonly string MaterializedDailySessionsSql = $"""
        select day, product::text, user_id, session_count, completed_count, failed_count, issues_crawled::bigint,
               attachments_downloaded::bigint, avg_duration_sec, total_duration_sec::bigint
        from ims.mv_daily_session_summary
        where day between @from and @to
          and {SqlFilter.Equal("user_id", "userId", "integer")}
          and {SqlFilter.InFamily("product")}
        order by day, product, user_id
        """;

    /// <summary>The three dashboard reads in one round trip.</summary>
    public static async Task<DashboardResponse> GetDashboardAsync(this UserSession session, int userId)
    {
        using var grid = await session.QueryMultipleAsync(DashboardSql, new { userId });
        var dashboard = await grid.ReadSingleAsync<UserDashboard>();
        var stats = await grid.ReadSingleAsync<UserStats>();
        // The view's unique_issues is the same count get_user_stats reads from ims.user_issues (sql/13); not
        // selecting it lets the planner drop that join from the view, so it is read once per dashboard.
        dashboard = dashboard with { UniqueIssues = stats.UniqueIssues };
        var recent = (await grid.ReadAsync<RecentActivity>()).AsList();
        return new DashboardResponse(dashboard, stats, recent);
    }

    public static Task<IReadOnlyList<DailyStat>> GetDailyStatsAsync(this UserSession session, DateOnly from, DateOnly to, int? userId) =>
        session.QueryAsync<DailyStat>(DailySql, new { from = ToDate(from), to = ToDate(to), userId });

    public static Task<IReadOnlyList<MonthlyStat>> GetMonthlyStatsAsync(this UserSession session, DateOnly from, DateOnly to, int? userId) =>
        session.QueryAsync<MonthlyStat>(MonthlySql,
            new { fromYear = from.Year, fromMonth = from.Month, toYear = to.Year, toMonth = to.Month, userId });

    public static Task<IReadOnlyList<ProductStat>> GetProductStatsAsync(this UserSession session, string? product) =>
        session.QueryAsync<ProductStat>(ProductStatsSql, new { product });

    public static Task<IReadOnlyList<IssueTrend>> GetIssueTrendsAsync(this UserSession session, TrendFilter filter) =>
        session.QueryAsync<IssueTrend>(TrendsSql,
            new { product = filter.Product, status = filter.Status, priority = filter.Priority, weeks = filter.Weeks });

    /// <summary>Sessions per day, product and user: live from the caller's own sessions, or from the materialized view.</summary>
    public static Task<IReadOnlyList<DailySessionSummary>> GetDailySessionsAsync(this UserSession session, bool live,
        DateOnly from, DateOnly to, string? product, int? userId) =>
        session.QueryAsync<DailySessionSummary>(live ? LiveDailySessionsSql : MaterializedDailySessionsSql,
            new { from = ToDate(from), to = ToDate(to), product, userId, me = session.User.UserId });

    private static DateTime ToDate(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
}
