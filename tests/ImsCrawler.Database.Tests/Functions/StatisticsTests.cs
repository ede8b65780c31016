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
    public async Task Refresh_materialized_views_is_allowed_to_ims_admin_and_refreshes()
    {
        var (user, _) = await OneSessionWithThreeIssuesAsync();

        await db.AsRoleAsync(Roles.Admin, null, c => c.ExecuteAsync("SELECT ims.refresh_materialized_views()"));

        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT coalesce(sum(session_count), 0)::bigint FROM ims.mv_daily_session_summary WHERE user_id = @user", new { user }));
    }

    private sealed record UserStats(
        long total_sessions, long successful_sessions, long failed_sessions, long total_issues_crawled,
        long unique_issues, long total_attachments, decimal? avg_session_duration_sec,
        DateTime? last_session_date, string? most_used_product);
}

/// <summary>sql/13: each user's distinct issues are kept in ims.user_issues as links come and go.</summary>
public sealed class UserIssuesTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private Task<long> UniqueIssuesAsync(int user) =>
        db.ScalarAsync<long>("SELECT unique_issues FROM ims.get_user_stats(@user)", new { user });

    [Fact]
    public async Task An_issue_crawled_by_two_sessions_counts_once_and_only_disappears_with_its_last_link()
    {
        var user = await db.UserAsync();
        var oldSession = await db.SessionAsync(user, startedAt: DateTimeOffset.UtcNow.AddDays(-200));
        var newSession = await db.SessionAsync(user);
        var shared = await db.IssueAsync();
        var onlyOld = await db.IssueAsync();
        await db.LinkAsync(oldSession, shared);
        await db.LinkAsync(oldSession, onlyOld);
        await db.LinkAsync(newSession, shared);
        var before = await UniqueIssuesAsync(user);

        await db.ExecuteAsync("SELECT * FROM ims.delete_old_sessions(@user, 90)", new { user });

        Assert.Equal(2, before);
        Assert.Equal(1, await UniqueIssuesAsync(user));
        Assert.Equal([shared], await db.QueryAsync<long>("SELECT issue_pk FROM ims.user_issues WHERE user_id = @user", new { user }));
    }

    [Fact]
    public async Task Deleting_an_issue_or_a_link_removes_it_from_the_users_count()
    {
        var user = await db.UserAsync();
        var session = await db.SessionAsync(user);
        var kept = await db.IssueAsync();
        var deletedIssue = await db.IssueAsync();
        var unlinked = await db.IssueAsync();
        foreach (var issue in new[] { kept, deletedIssue, unlinked })
            await db.LinkAsync(session, issue);

        await db.ExecuteAsync("DELETE FROM ims.issues WHERE issue_pk = @deletedIssue", new { deletedIssue });
        await db.ExecuteAsync("DELETE FROM ims.session_issues WHERE session_id = @session AND issue_pk = @unlinked", new { session, unlinked });

        Assert.Equal(1, await UniqueIssuesAsync(user));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT unique_issues FROM ims.v_user_dashboard WHERE user_id = @user", new { user }));
    }

    [Fact]
    public async Task Another_users_crawl_of_the_same_issue_does_not_change_the_count_and_stays_invisible()
    {
        var user = await db.UserAsync();
        var other = await db.UserAsync();
        var issue = await db.IssueAsync();
        await db.LinkAsync(await db.SessionAsync(user), issue);
        await db.LinkAsync(await db.SessionAsync(other), issue);

        var visible = await db.AsRoleAsync(Roles.User, user,
            async c => (await c.QueryAsync<int>("SELECT user_id FROM ims.user_issues")).AsList());

        Assert.Equal(1, await UniqueIssuesAsync(user));
        Assert.Equal([user], visible);
    }
}
