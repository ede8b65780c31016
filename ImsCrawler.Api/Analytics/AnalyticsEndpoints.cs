using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Analytics;

/// <summary>
/// The caller's dashboard and the analytics tables and views. Everything runs as the caller, so row-level
/// security scopes per-user figures: users see their own, admins and readonly users everyone's. The per-user
/// materialized view (no RLS possible) is read only by admins and readonly users; users get the same figures
/// computed live from their own sessions. Everything here only reads (<see cref="UserDatabase.ReadAsync{T}"/>).
/// </summary>
public static class AnalyticsEndpoints
{
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
        return TypedResults.Ok(await database.ReadAsync(caller, session => session.GetDashboardAsync(caller.UserId), cancellationToken));
    }

    public static async Task<Results<Ok<AnalyticsPage<DailyStat>>, ValidationProblem, ProblemHttpResult>> GetDailyAnalytics(
        [AsParameters] DailyAnalyticsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var (from, to) = AnalyticsPeriods.Days(errors, request.From, request.To);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var caller = http.User.GetDatabaseUser();
        if (ForbiddenUser(caller, request.UserId) is { } forbidden)
            return forbidden;

        var rows = await database.ReadAsync(caller, session => session.GetDailyStatsAsync(from, to, request.UserId), cancellationToken);
        return TypedResults.Ok(new AnalyticsPage<DailyStat>(from, to, rows));
    }

    public static async Task<Results<Ok<AnalyticsPage<MonthlyStat>>, ValidationProblem, ProblemHttpResult>> GetMonthlyAnalytics(
        [AsParameters] MonthlyAnalyticsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var (from, to) = AnalyticsPeriods.Months(errors, request.From, request.To);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var caller = http.User.GetDatabaseUser();
        if (ForbiddenUser(caller, request.UserId) is { } forbidden)
            return forbidden;

        var rows = await database.ReadAsync(caller, session => session.GetMonthlyStatsAsync(from, to, request.UserId), cancellationToken);
        return TypedResults.Ok(new AnalyticsPage<MonthlyStat>(from, AnalyticsPeriods.LastDayOf(to), rows));
    }

    public static async Task<Results<Ok<IReadOnlyList<ProductStat>>, ValidationProblem>> GetProductStats(
        [AsParameters] ProductStatsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        return TypedResults.Ok(await database.ReadAsync(http.User.GetDatabaseUser(), session => session.GetProductStatsAsync(product),
            cancellationToken));
    }

    public static async Task<Results<Ok<IReadOnlyList<IssueTrend>>, ValidationProblem>> GetIssueTrends(
        [AsParameters] TrendsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var filter = new TrendFilter(
            QueryParameters.Text(errors, "product", request.Product, 100), QueryParameters.Text(errors, "status", request.Status, 50),
            QueryParameters.Text(errors, "priority", request.Priority, 20), request.Weeks ?? 12);
        errors.Range("weeks", filter.Weeks, 1, 104);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        return TypedResults.Ok(await database.ReadAsync(http.User.GetDatabaseUser(), session => session.GetIssueTrendsAsync(filter),
            cancellationToken));
    }

    public static async Task<Results<Ok<DailySessionsResponse>, ValidationProblem, ProblemHttpResult>> GetDailySessions(
        [AsParameters] DailySessionsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var (from, to) = AnalyticsPeriods.Days(errors, request.From, request.To);
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        var caller = http.User.GetDatabaseUser();
        if (ForbiddenUser(caller, request.UserId) is { } forbidden)
            return forbidden;

        // Users may not read the materialized view (it cannot apply RLS): they get their own figures, computed live.
        var live = caller.Role == DatabaseUser.User;
        var rows = await database.ReadAsync(caller, session => session.GetDailySessionsAsync(live, from, to, product, request.UserId),
            cancellationToken);
        return TypedResults.Ok(new DailySessionsResponse(live ? "live" : "materialized", rows));
    }

    /// <summary>Users read only their own figures: asking for someone else's is a 403 (not an empty list).</summary>
    private static ProblemHttpResult? ForbiddenUser(DatabaseUser caller, int? userId) =>
        caller.Role == DatabaseUser.User && userId is { } id && id != caller.UserId
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Users see only their own analytics; leave userId out or pass your own.")
            : null;
}
