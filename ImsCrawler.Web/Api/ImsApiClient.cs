using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ImsCrawler.Web.Api;

/// <summary>
/// The Web's only way to the Api (base address <c>https+http://api</c>, resolved by service discovery, with the
/// standard resilience handler). Every route, query parameter name and JSON shape of the Api is known here and in
/// ApiModels.cs only; pages see <see cref="Page{T}"/> and records, never the Api's cursor names.
/// </summary>
public sealed partial class ImsApiClient(HttpClient http, ILogger<ImsApiClient> logger)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>Checks a typed key (sign-in): the person and their role, or null when the Api refuses the key.</summary>
    public async Task<ApiResult<Me>?> CheckKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return null;
            return await ReadAsync<Me>(response, cancellationToken);
        }
        catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
        {
            return Unreachable<Me>(exception);
        }
    }

    public Task<ApiResult<Me>> GetMeAsync(CancellationToken cancellationToken) => GetAsync<Me>("/api/me", cancellationToken);

    // Search and issues

    public async Task<ApiResult<SearchResults>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var url = Url("/api/search", ("q", query.Q), ("product", query.Product), ("status", query.Status),
            ("priority", query.Priority), ("from", Instant(query.From)), ("to", Instant(query.To)), ("cursor", query.Cursor),
            ("limit", Number(query.Limit)));
        var result = await GetAsync<SearchPageWire>(url, cancellationToken);
        return Map(result, page => new SearchResults(
            new Page<SearchHit>(page.Items, page.NextCursor, page.Total, page.TotalIsEstimate ?? false), Describe(page.InterpretedAs)));
    }

    public Task<ApiResult<IssueDetail>> GetIssueAsync(string issueId, CancellationToken cancellationToken) =>
        GetAsync<IssueDetail>($"/api/issues/{Uri.EscapeDataString(issueId)}", cancellationToken);

    /// <summary>Issues like this one, when the Api offers them; a 404 (no such endpoint yet) reads as "none".</summary>
    public async Task<IReadOnlyList<SimilarIssue>> GetSimilarIssuesAsync(string issueId, CancellationToken cancellationToken)
    {
        var result = await GetAsync<JsonElement>($"/api/issues/{Uri.EscapeDataString(issueId)}/similar", cancellationToken);
        if (!result.IsSuccess)
            return [];
        var items = result.Value.ValueKind == JsonValueKind.Array ? result.Value
            : result.Value.TryGetProperty("items", out var list) ? list : default;
        return items.ValueKind == JsonValueKind.Array ? items.Deserialize<List<SimilarIssue>>(Json) ?? [] : [];
    }

    // Sessions

    public async Task<ApiResult<Page<SessionSummary>>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        var url = Url("/api/sessions", ("product", query.Product), ("status", query.Status),
            ("from", Instant(query.From)), ("to", Instant(query.To)), ("cursor", query.Cursor), ("limit", Number(query.Limit)));
        return Map(await GetAsync<PageWire<SessionSummary>>(url, cancellationToken), page => page.ToPage());
    }

    public Task<ApiResult<SessionDetail>> GetSessionAsync(string sessionUuid, CancellationToken cancellationToken) =>
        GetAsync<SessionDetail>($"/api/sessions/{Uri.EscapeDataString(sessionUuid)}", cancellationToken);

    public async Task<ApiResult<RetentionReport>> DeleteOldSessionsAsync(int olderThanDays, int? userId, CancellationToken cancellationToken)
    {
        var url = Url("/api/sessions", ("olderThanDays", Number(olderThanDays)), ("userId", Number(userId)));
        return await SendAsync<RetentionReport>(new HttpRequestMessage(HttpMethod.Delete, url), cancellationToken);
    }

    // Dashboard and analytics

    public async Task<ApiResult<DashboardSummary>> GetDashboardAsync(CancellationToken cancellationToken)
    {
        var result = await GetAsync<DashboardWire>("/api/dashboard", cancellationToken);
        return Map(result, wire => new DashboardSummary(wire.Stats, wire.Dashboard.RunningSessions, wire.Dashboard.TotalSearches, wire.RecentActivity));
    }

    /// <summary>Sessions per day and product, <paramref name="from"/>..<paramref name="to"/> inclusive, of one user.</summary>
    public async Task<ApiResult<IReadOnlyList<DailySessions>>> GetDailySessionsAsync(DateOnly from, DateOnly to, int userId,
        CancellationToken cancellationToken)
    {
        var url = Url("/api/analytics/daily-sessions", ("from", Day(from)), ("to", Day(to)), ("userId", Number(userId)));
        return Map(await GetAsync<ItemsWire<DailySessions>>(url, cancellationToken), wire => wire.Items);
    }

    public Task<ApiResult<IReadOnlyList<ProductStat>>> GetProductStatsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ProductStat>>("/api/analytics/products", cancellationToken);

    public async Task<ApiResult<IReadOnlyList<MonthlyStat>>> GetMonthlyStatsAsync(int userId, CancellationToken cancellationToken)
    {
        var url = Url("/api/analytics/monthly", ("userId", Number(userId)));
        return Map(await GetAsync<ItemsWire<MonthlyStat>>(url, cancellationToken), wire => wire.Items);
    }

    // Users and keys (admin)

    public async Task<ApiResult<Page<UserInfo>>> ListUsersAsync(string? cursor, int limit, CancellationToken cancellationToken)
    {
        var url = Url("/api/users", ("cursor", cursor), ("limit", Number(limit)));
        return Map(await GetAsync<PageWire<UserInfo>>(url, cancellationToken), page => page.ToPage());
    }

    public Task<ApiResult<UserInfo>> GetUserAsync(int userId, CancellationToken cancellationToken) =>
        GetAsync<UserInfo>($"/api/users/{userId}", cancellationToken);

    public Task<ApiResult<UserInfo>> CreateUserAsync(NewUser user, CancellationToken cancellationToken) =>
        SendAsync<UserInfo>(new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = JsonContent.Create(user, options: Json) },
            cancellationToken);

    public Task<ApiResult<UserInfo>> DeactivateUserAsync(int userId, CancellationToken cancellationToken) =>
        SendAsync<UserInfo>(new HttpRequestMessage(HttpMethod.Post, $"/api/users/{userId}/deactivate"), cancellationToken);

    public Task<ApiResult<IReadOnlyList<ApiKeyInfo>>> ListKeysAsync(int userId, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ApiKeyInfo>>($"/api/users/{userId}/keys", cancellationToken);

    public Task<ApiResult<CreatedApiKey>> CreateKeyAsync(int userId, string name, CancellationToken cancellationToken) =>
        SendAsync<CreatedApiKey>(new HttpRequestMessage(HttpMethod.Post, $"/api/users/{userId}/keys")
        {
            Content = JsonContent.Create(new { name }, options: Json),
        }, cancellationToken);

    public Task<ApiResult<bool>> RevokeKeyAsync(int userId, long keyId, CancellationToken cancellationToken) =>
        SendAsync<bool>(new HttpRequestMessage(HttpMethod.Delete, $"/api/users/{userId}/keys/{keyId}"), cancellationToken);

    // Jobs, database, audit (admin)

    public Task<ApiResult<IReadOnlyList<JobInfo>>> ListJobsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<JobInfo>>("/api/jobs", cancellationToken);

    /// <param name="period">A day (<c>yyyy-MM-dd</c>) for day jobs, a month (<c>yyyy-MM</c>) for month jobs, or null.</param>
    public Task<ApiResult<JobRequested>> RunJobAsync(string job, string periodKind, string? period, CancellationToken cancellationToken)
    {
        object body = periodKind switch
        {
            "day" when period is not null => new { date = period },
            "month" when period is not null => new { month = period },
            _ => new { },
        };
        return SendAsync<JobRequested>(new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{Uri.EscapeDataString(job)}/run")
        {
            Content = JsonContent.Create(body, options: Json),
        }, cancellationToken);
    }

    public Task<ApiResult<DatabaseInfo>> GetDatabaseAsync(CancellationToken cancellationToken) =>
        GetAsync<DatabaseInfo>("/api/admin/database", cancellationToken);

    public Task<ApiResult<IReadOnlyList<TableInfo>>> ListTablesAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<TableInfo>>("/api/admin/tables", cancellationToken);

    public Task<ApiResult<IReadOnlyList<IndexInfo>>> ListIndexesAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<IndexInfo>>("/api/admin/indexes", cancellationToken);

    public Task<ApiResult<IReadOnlyList<ConnectionInfo>>> ListConnectionsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<ConnectionInfo>>("/api/admin/connections", cancellationToken);

    public Task<ApiResult<SlowQueries>> GetSlowQueriesAsync(int limit, CancellationToken cancellationToken) =>
        GetAsync<SlowQueries>(Url("/api/admin/slow-queries", ("limit", Number(limit))), cancellationToken);

    public async Task<ApiResult<Page<AuditEntry>>> ListAuditAsync(string? resourceId, string? cursor, int limit,
        CancellationToken cancellationToken)
    {
        var url = Url("/api/audit", ("resourceId", resourceId), ("cursor", cursor), ("limit", Number(limit)));
        return Map(await GetAsync<PageWire<AuditEntry>>(url, cancellationToken), page => page.ToPage());
    }

    // Plumbing

    private Task<ApiResult<T>> GetAsync<T>(string url, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                    throw new ApiKeyRejectedException();
                return await ReadAsync<T>(response, cancellationToken);
            }
            catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
            {
                return Unreachable<T>(exception);
            }
        }
    }

    private static async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
            return ApiResult<T>.Failure(ApiProblem.Read((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)));
        if (typeof(T) == typeof(bool))
            return ApiResult<T>.Success((T)(object)true);
        var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
        return value is null
            ? ApiResult<T>.Failure(new ApiProblem((int)response.StatusCode, "Empty answer", null, new Dictionary<string, string[]>()))
            : ApiResult<T>.Success(value);
    }

    private ApiResult<T> Unreachable<T>(Exception exception)
    {
        LogUnreachable(logger, exception);
        return ApiResult<T>.Failure(ApiProblem.Unreachable(exception.Message));
    }

    private static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
        || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static ApiResult<TOut> Map<TIn, TOut>(ApiResult<TIn> result, Func<TIn, TOut> map) =>
        result.IsSuccess ? ApiResult<TOut>.Success(map(result.Value!)) : ApiResult<TOut>.Failure(result.Problem!);

    private static string Url(string path, params (string Name, string? Value)[] query) =>
        QueryHelpers.AddQueryString(path, query.Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));

    private static string? Instant(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Api could not be reached")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);

    private sealed record SearchPageWire(
        string Query, IReadOnlyList<SearchHit> Items, long Total, string? NextCursor, bool? TotalIsEstimate,
        SearchInterpretationWire? InterpretedAs);

    private sealed record SearchInterpretationWire(string Query, string? Product, bool ProductFromQuery, IReadOnlyList<string>? Dropped);

    /// <summary>What the page says about how the query was read: only when the Api dropped words or took the product from it.</summary>
    private static string? Describe(SearchInterpretationWire? interpretation) =>
        interpretation is null || (interpretation.Dropped is not { Count: > 0 } && !interpretation.ProductFromQuery)
            ? null
            : interpretation.ProductFromQuery && interpretation.Product is { Length: > 0 } product
                ? $"{interpretation.Query} ({product})"
                : interpretation.Query;

    /// <summary>The Api's page of every list: items and the opaque cursor of the next page.</summary>
    private sealed record PageWire<T>(IReadOnlyList<T> Items, string? NextCursor)
    {
        public Page<T> ToPage() => new(Items, NextCursor);
    }

    private sealed record ItemsWire<T>(IReadOnlyList<T> Items);

    private sealed record DashboardFigures(long RunningSessions, long TotalSearches);

    private sealed record DashboardWire(DashboardFigures Dashboard, UserStats Stats, IReadOnlyList<RecentActivity> RecentActivity);
}
