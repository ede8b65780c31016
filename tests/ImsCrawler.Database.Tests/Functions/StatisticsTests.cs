using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Functions;

/// <summary>
/// Defect 3 of the original: one session with 3 linked issues and issues_crawled = 5 was
/// reported as 3 sessions and 15 issues. Every figure here must be per session.
/// </summary>
public sealed class StatisticsTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private async Task<(int User, long Session)> OneSessionWithThreeIssuesAsync(string product = "OpenFrame")
    {
        var user = await db.UserAsync();
        var session = await db.SessionAsync(user, product: product, issuesCrawled: 5, durationSeconds: 120,
            attachmentsDownloaded: 2);
        for (var i = 0; i < 3; i++)
            await db.LinkAsync(session, await db.IssueAsync(product: product), crawlOrder: i + 1);
        return (user, session);
    }

    [Fact]
    public async Task Get_user_stats_counts_each_session_once()
    {
        var (user, _) = await OneSessionWithThreeIssuesAsync();

        var stats = await db.QuerySingleAsync<UserStats>("SELECT * FROM ims.get_user_stats(@user)", new { user });

        Assert.Equal(1, stats.total_sessions);
        Assert.Equal(1, stats.successful_sessions);
        Assert.Equal(0, stats.failed_sessions);
        Assert.Equal(5, stats.total_issues_crawled);
        Assert.Equal(3, stats.unique_issues);
        Assert.Equal(2, stats.total_attachments);
        Assert.Equal(120m, stats.avg_session_duration_sec);
        Assert.Equal("OpenFrame", stats.most_used_product);
    }

    [Fact]
    public async Task Get_user_stats_returns_one_zero_row_for_an_unknown_user()
    {
        var rows = await db.QueryAsync<UserStats>("SELECT * FROM ims.get_user_stats(-42)");

        var only = Assert.Single(rows);
        Assert.Equal(0, only.total_sessions);
        Assert.Equal(0, only.total_issues_crawled);
        Assert.Null(only.most_used_product);
    }

    [Fact]
    public async Task User_dashboard_counts_each_session_once()
    {
        var (user, _) = await OneSessionWithThreeIssuesAsync();

        var row = await db.QuerySingleAsync<(long Sessions, long Crawled, long Unique)>(
            "SELECT total_sessions, total_issues_crawled, unique_issues FROM ims.v_user_dashboard WHERE user_id = @user",
            new { user });

        Assert.Equal((1L, 5L, 3L), row);
    }

    [Fact]
    public async Task Product_stats_count_each_session_once()
    {
        var product = TestData.Unique("Product");
        await OneSessionWithThreeIssuesAsync(product);

        var row = await db.QuerySingleAsync<(long Sessions, long Crawled, long Unique)>(
            "SELECT total_sessions, total_issues_crawled, unique_issues FROM ims.v_product_stats WHERE product = @product",
            new { product });

        Assert.Equal((1L, 5L, 3L), row);
    }

    [Fact]
    public async Task Session_detail_reports_links_errors_and_attachments_of_the_session()
    {
        var (_, session) = await OneSessionWithThreeIssuesAsync();
        await db.ExecuteAsync(
            "INSERT INTO ims.session_errors (session_id, severity) VALUES (@session, 'error'), (@session, 'warning')",
            new { session });

        var row = await db.QuerySingleAsync<(long Linked, long Errors, long Attachments)>(
            "SELECT linked_issues, error_count, attachment_count FROM ims.v_session_detail WHERE session_id = @session",
            new { session });

        Assert.Equal((3L, 2L, 0L), row);
    }

    [Fact]
    public async Task Materialized_views_refresh_concurrently_and_pick_up_new_sessions()
    {
        var (user, _) = await OneSessionWithThreeIssuesAsync();

        await db.ExecuteAsync("SELECT ims.refresh_materialized_views()");
        await db.ExecuteAsync("SELECT ims.refresh_materialized_views()");

        var summary = await db.QuerySingleAsync<(long Sessions, long Crawled)>(
            "SELECT sum(session_count)::bigint, sum(issues_crawled)::bigint FROM ims.mv_daily_session_summary WHERE user_id = @user",
            new { user });
        Assert.Equal((1L, 5L), summary);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM ims.mv_issue_trends") > 0);
    }

    [Fact]
    public async Task Refresh_materialized_views_is_allowed_to_ims_admin()
    {
        await db.AsRoleAsync(Roles.Admin, null, c => c.ExecuteAsync("SELECT ims.refresh_materialized_views()"));
    }

    private sealed record UserStats(
        long total_sessions, long successful_sessions, long failed_sessions, long total_issues_crawled,
        long unique_issues, long total_attachments, decimal? avg_session_duration_sec,
        DateTime? last_session_date, string? most_used_product);
}
