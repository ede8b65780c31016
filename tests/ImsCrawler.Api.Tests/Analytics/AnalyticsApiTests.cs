using System.Net;
using ImsCrawler.Api.Analytics;
using ImsCrawler.Api.Search;
using ImsCrawler.Api.Sessions;
using ImsCrawler.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ImsCrawler.Api.Tests.Analytics;

public sealed class AnalyticsApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<SessionResponse> StartAsync(HttpClient client, string product) =>
        await (await client.PostJsonAsync("/api/sessions", new { product, originalQuery = "timeout" })).ReadAsync<SessionResponse>(HttpStatusCode.Created);

    [Fact]
    public async Task Dashboard_shows_the_callers_figures_stats_and_recent_activity()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        var done = await StartAsync(client, "Tibero");
        await client.PostJsonAsync($"/api/sessions/{done.SessionUuid}/complete", new { status = "completed", issuesCrawled = 7 });
        var running = await StartAsync(client, "Tibero");
        await api.ScalarAsync<int>("""
            insert into ims.issues (issue_id, title) values (@a, 'one'), (@b, 'two');
            insert into ims.session_issues (session_id, issue_pk, crawl_order)
            select s.id, i.issue_pk, 1 from ims.issues i, unnest(array[@done, @running]) as s(id) where i.issue_id in (@a, @b);
            """, new { a = "D" + Guid.NewGuid().ToString("N")[..10], b = "D" + Guid.NewGuid().ToString("N")[..10], done = done.SessionId, running = running.SessionId });
        await client.GetAsync("/api/search?q=timeout");
        await api.Services.GetRequiredService<SearchRecorder>().WhenIdleAsync();   // the history is written behind the answer
        using var other = api.CreateClient(await api.CreateUserAsync());
        await StartAsync(other, "JEUS");

        var dashboard = await (await client.GetAsync("/api/dashboard")).ReadAsync<DashboardResponse>();
        Assert.Equal(user.UserId, dashboard.Dashboard.UserId);
        Assert.Equal(2, dashboard.Dashboard.TotalSessions);
        Assert.Equal(1, dashboard.Dashboard.RunningSessions);
        Assert.Equal(7, dashboard.Dashboard.TotalIssuesCrawled);
        Assert.Equal(1, dashboard.Dashboard.TotalSearches);
        Assert.Equal(2, dashboard.Dashboard.UniqueIssues);   // two issues, each linked by both sessions
        Assert.Equal(2, dashboard.Stats.UniqueIssues);
        Assert.Equal(2, dashboard.Stats.TotalSessions);
        Assert.Equal(1, dashboard.Stats.SuccessfulSessions);
        Assert.Equal("Tibero", dashboard.Stats.MostUsedProduct);
        Assert.Equal(["search", "crawl", "crawl"], dashboard.RecentActivity.Select(a => a.ActivityType));

        using var anonymous = api.CreateClient();
        await (await anonymous.GetAsync("/api/dashboard")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Daily_and_monthly_are_own_rows_for_users_and_anyones_for_admins_and_readonly()
    {
        var alice = await api.CreateUserAsync();
        var bob = await api.CreateUserAsync();
        await api.ScalarAsync<int>("""
            insert into ims.analytics_daily (user_id, stat_date, sessions_count) values (@a, '2024-03-01', 3), (@b, '2024-03-01', 5), (@a, '2023-01-01', 1);
            insert into ims.analytics_monthly (user_id, year, month, total_sessions) values (@a, 2024, 3, 3), (@b, 2024, 3, 5);
            """, new { a = alice.UserId, b = bob.UserId });
        using var aliceClient = api.CreateClient(alice);
        var own = await (await aliceClient.GetAsync("/api/analytics/daily?from=2024-03-01&to=2024-03-31")).ReadAsync<AnalyticsPage<DailyStat>>();
        Assert.Equal([(alice.UserId, 3)], own.Items.Select(d => (d.UserId!.Value, d.SessionsCount)));
        await (await aliceClient.GetAsync($"/api/analytics/daily?userId={bob.UserId}&from=2024-03-01&to=2024-03-31")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var monthly = await (await aliceClient.GetAsync("/api/analytics/monthly?from=2024-01&to=2024-12")).ReadAsync<AnalyticsPage<MonthlyStat>>();
        Assert.Equal([3], monthly.Items.Select(m => m.TotalSessions));

        using var analyst = api.CreateClient(await api.CreateUserAsync("readonly"));
        var bobs = await (await analyst.GetAsync($"/api/analytics/daily?userId={bob.UserId}&from=2024-03-01&to=2024-03-31")).ReadAsync<AnalyticsPage<DailyStat>>();
        Assert.Equal([5], bobs.Items.Select(d => d.SessionsCount));
        var everyone = await (await analyst.GetAsync("/api/analytics/monthly?from=2024-03&to=2024-03")).ReadAsync<AnalyticsPage<MonthlyStat>>();
        Assert.True(everyone.Items.Count >= 2);
    }

    [Theory]
    [InlineData("/api/analytics/daily?from=2024-03-02&to=2024-03-01", "from")]
    [InlineData("/api/analytics/daily?from=2023-01-01&to=2024-03-01", "to")]
    [InlineData("/api/analytics/daily?from=March", "from")]
    [InlineData("/api/analytics/monthly?from=2024-05&to=2024-04", "from")]
    [InlineData("/api/analytics/monthly?from=2023-01&to=2024-01", "to")]
    [InlineData("/api/analytics/monthly?from=2024-13", "from")]
    [InlineData("/api/analytics/daily-sessions?from=2024-01-01&to=2025-06-01", "to")]
    [InlineData("/api/analytics/trends?weeks=0", "weeks")]
    [InlineData("/api/analytics/trends?weeks=105", "weeks")]
    public async Task Bad_ranges_are_400(string url, string field)
    {
        using var client = api.CreateClient(await api.CreateUserAsync("readonly"));
        await (await client.GetAsync(url)).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task Products_trends_and_daily_sessions()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        var product = "Prod" + Guid.NewGuid().ToString("N")[..8];
        await StartAsync(client, product);
        await StartAsync(client, $"{product} Batch");
        await api.ScalarAsync<int>("""
            insert into ims.issues (issue_id, title, product, status, priority, registered_date)
            values (@id, 'trend', @product, 'Closed', 'High', now());
            select ims.refresh_materialized_views();
            """, new { id = "TR" + Guid.NewGuid().ToString("N")[..10], product });

        var products = await (await client.GetAsync($"/api/analytics/products?product={product}")).ReadAsync<List<ProductStat>>();
        Assert.Equal(new[] { product, $"{product} Batch" }.Order(), products.Select(p => p.Product).Order());

        var trends = await (await client.GetAsync($"/api/analytics/trends?product={product}&weeks=2")).ReadAsync<List<IssueTrend>>();
        var trend = Assert.Single(trends);
        Assert.Equal((1L, 1L), (trend.IssueCount, trend.ClosedCount));

        // Users: their own figures, live; admins and readonly users: the materialized view.
        var live = await (await client.GetAsync($"/api/analytics/daily-sessions?product={product}")).ReadAsync<DailySessionsResponse>();
        Assert.Equal("live", live.Source);
        Assert.Equal(2, live.Items.Sum(i => i.SessionCount));
        await (await client.GetAsync($"/api/analytics/daily-sessions?userId={user.UserId + 1000}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var analyst = api.CreateClient(await api.CreateUserAsync("readonly"));
        var materialized = await (await analyst.GetAsync($"/api/analytics/daily-sessions?product={product}&userId={user.UserId}")).ReadAsync<DailySessionsResponse>();
        Assert.Equal("materialized", materialized.Source);
        Assert.Equal(2, materialized.Items.Sum(i => i.SessionCount));
    }
}
