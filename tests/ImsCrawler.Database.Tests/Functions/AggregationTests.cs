using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Functions;

/// <summary>Defects 1 and 2: daily aggregation always failed; monthly failed in January and fanned out.</summary>
public sealed class AggregationTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly DateTimeOffset Noon = new(2024, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private async Task<int> UserWithOneSessionOfThreeIssuesAsync(DateTimeOffset startedAt)
    {
        var user = await db.UserAsync();
        var session = await db.SessionAsync(user, issuesCrawled: 5, startedAt: startedAt, durationSeconds: 90,
            query: "batch timeout");
        for (var i = 0; i < 3; i++)
            await db.LinkAsync(session, await db.IssueAsync(firstCrawledAt: startedAt), crawlOrder: i + 1);
        return user;
    }

    [Fact]
    public async Task Daily_aggregation_counts_each_session_once()
    {
        var user = await UserWithOneSessionOfThreeIssuesAsync(Noon);

        await db.ExecuteAsync("SELECT ims.aggregate_daily_stats(DATE '2024-03-14')");

        var row = await db.QuerySingleAsync<DailyRow>(
            "SELECT * FROM ims.analytics_daily WHERE user_id = @user AND stat_date = DATE '2024-03-14'", new { user });
        Assert.Equal(1, row.sessions_count);
        Assert.Equal(1, row.successful_sessions);
        Assert.Equal(5, row.issues_crawled);
        Assert.Equal(3, row.unique_issues);
        Assert.Equal(3, row.new_issues);
        Assert.Equal(90, row.avg_session_duration_sec);
        Assert.Equal(5.00m, row.avg_issues_per_session);
        Assert.Equal("""{"OpenFrame": 1}""", row.product_stats);
        Assert.Equal("""[{"count": 1, "query": "batch timeout"}]""", row.top_queries);
    }

    [Fact]
    public async Task Re_running_daily_aggregation_changes_nothing()
    {
        var user = await UserWithOneSessionOfThreeIssuesAsync(Noon.AddDays(1));
        await db.ExecuteAsync("SELECT ims.aggregate_daily_stats(DATE '2024-03-15')");
        var before = await RowVersionAsync("analytics_daily", user);

        await db.ExecuteAsync("SELECT ims.aggregate_daily_stats(DATE '2024-03-15')");

        Assert.Equal(before, await RowVersionAsync("analytics_daily", user));
        Assert.Equal(1, await db.ScalarAsync<long>(
            "SELECT count(*) FROM ims.analytics_daily WHERE user_id = @user", new { user }));
    }

    [Fact]
    public async Task Daily_aggregation_replaces_figures_that_changed()
    {
        var startedAt = Noon.AddDays(2);
        var user = await UserWithOneSessionOfThreeIssuesAsync(startedAt);
        await db.ExecuteAsync("SELECT ims.aggregate_daily_stats(DATE '2024-03-16')");
        await db.SessionAsync(user, status: "failed", startedAt: startedAt.AddHours(1));

        await db.ExecuteAsync("SELECT ims.aggregate_daily_stats(DATE '2024-03-16')");

        var row = await db.QuerySingleAsync<(int Sessions, int Failed)>(
            "SELECT sessions_count, failed_sessions FROM ims.analytics_daily WHERE user_id = @user", new { user });
        Assert.Equal((2, 1), row);
    }

    [Fact]
    public async Task The_day_is_a_calendar_day_in_the_configured_zone_not_the_session_zone()
    {
        // 2024-03-17 23:30 UTC is 2024-03-18 08:30 in Seoul.
        var user = await UserWithOneSessionOfThreeIssuesAsync(new DateTimeOffset(2024, 3, 17, 23, 30, 0, TimeSpan.Zero));
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("SET TimeZone = 'America/Los_Angeles'; SET ims.stats_time_zone = 'Asia/Seoul'");

        await connection.ExecuteAsync("SELECT ims.aggregate_daily_stats(DATE '2024-03-18')");

        var days = await connection.QueryAsync<string>(
            "SELECT stat_date::text FROM ims.analytics_daily WHERE user_id = @user", new { user });
        Assert.Equal("2024-03-18", Assert.Single(days));
    }

    [Fact]
    public async Task The_seed_cron_line_with_a_timestamp_argument_aggregates_that_day()
    {
        var yesterdayNoon = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(12), TimeSpan.Zero);
        var user = await UserWithOneSessionOfThreeIssuesAsync(yesterdayNoon);
        var january = await UserWithOneSessionOfThreeIssuesAsync(new DateTimeOffset(2024, 1, 15, 12, 0, 0, TimeSpan.Zero));

        await db.ExecuteAsync("SELECT ims.aggregate_daily_stats(CURRENT_DATE - INTERVAL '1 day')");
        await db.ExecuteAsync("SELECT ims.aggregate_daily_stats('2024-01-15')");

        Assert.Equal(1, await db.ScalarAsync<int>(
            "SELECT sessions_count FROM ims.analytics_daily WHERE user_id = @user AND stat_date = CURRENT_DATE - 1", new { user }));
        Assert.Equal(1, await db.ScalarAsync<int>(
            "SELECT sessions_count FROM ims.analytics_daily WHERE user_id = @january AND stat_date = DATE '2024-01-15'", new { january }));
    }

    [Fact]
    public async Task Without_an_argument_it_aggregates_yesterday()
    {
        var user = await UserWithOneSessionOfThreeIssuesAsync(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(12), TimeSpan.Zero));

        await db.ExecuteAsync("SELECT ims.aggregate_daily_stats()");

        Assert.Equal(1, await db.ScalarAsync<int>(
            "SELECT sessions_count FROM ims.analytics_daily WHERE user_id = @user AND stat_date = CURRENT_DATE - 1", new { user }));
    }

    [Fact]
    public async Task Monthly_aggregation_of_january_counts_each_session_once()
    {
        var user = await UserWithOneSessionOfThreeIssuesAsync(new DateTimeOffset(2025, 1, 10, 12, 0, 0, TimeSpan.Zero));
        await db.SessionAsync(user, product: "Tibero", issuesCrawled: 2,
            startedAt: new DateTimeOffset(2025, 1, 20, 12, 0, 0, TimeSpan.Zero), query: "tibero timeout");

        await db.ExecuteAsync("SELECT ims.aggregate_monthly_stats(2025, 1)");

        var row = await db.QuerySingleAsync<MonthlyRow>(
            "SELECT * FROM ims.analytics_monthly WHERE user_id = @user AND year = 2025 AND month = 1", new { user });
        Assert.Equal(2, row.total_sessions);
        Assert.Equal(7, row.total_issues_crawled);
        Assert.Equal(3, row.unique_issues);
        Assert.Equal(Math.Round(2m / 31m, 2), row.avg_sessions_per_day);
        Assert.Equal("""{"Tibero": 1, "OpenFrame": 1}""", row.product_distribution);
        Assert.Equal("""{"Open": 3}""", row.issue_status_breakdown);
        Assert.Contains("\"timeout\": 2", row.keyword_trends);
    }

    [Fact]
    public async Task Monthly_defaults_in_january_roll_back_into_december_of_the_previous_year()
    {
        var previous = await db.QuerySingleAsync<(int Year, int Month)>("SELECT * FROM ims.previous_month(DATE '2025-01-15')");
        var march = await db.QuerySingleAsync<(int Year, int Month)>("SELECT * FROM ims.previous_month(DATE '2025-03-31')");

        Assert.Equal((2024, 12), previous);
        Assert.Equal((2025, 2), march);
    }

    [Fact]
    public async Task Monthly_defaults_aggregate_the_previous_month()
    {
        var lastMonth = await db.QuerySingleAsync<(int Year, int Month)>(
            "SELECT * FROM ims.previous_month((now() AT TIME ZONE ims.stats_time_zone())::date)");
        var startedAt = new DateTimeOffset(lastMonth.Year, lastMonth.Month, 2, 12, 0, 0, TimeSpan.Zero);
        var user = await UserWithOneSessionOfThreeIssuesAsync(startedAt);

        await db.ExecuteAsync("SELECT ims.aggregate_monthly_stats()");

        Assert.Equal(1, await db.ScalarAsync<int>(
            "SELECT total_sessions FROM ims.analytics_monthly WHERE user_id = @user AND year = @Year AND month = @Month",
            new { user, lastMonth.Year, lastMonth.Month }));
    }

    [Fact]
    public async Task Re_running_monthly_aggregation_changes_nothing()
    {
        var user = await UserWithOneSessionOfThreeIssuesAsync(new DateTimeOffset(2023, 6, 5, 12, 0, 0, TimeSpan.Zero));
        await db.ExecuteAsync("SELECT ims.aggregate_monthly_stats(2023, 6)");
        var before = await RowVersionAsync("analytics_monthly", user);

        await db.ExecuteAsync("SELECT ims.aggregate_monthly_stats(2023, 6)");

        Assert.Equal(before, await RowVersionAsync("analytics_monthly", user));
    }

    [Fact]
    public async Task Monthly_aggregation_rejects_a_month_outside_1_to_12_with_a_clear_message()
    {
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(
            () => db.ExecuteAsync("SELECT ims.aggregate_monthly_stats(2025, 0)"));

        Assert.Contains("month must be between 1 and 12", error.MessageText);
    }

    /// <summary>xmin changes whenever a row is rewritten, even with equal values.</summary>
    private Task<string> RowVersionAsync(string table, int user) =>
        db.ScalarAsync<string>($"SELECT string_agg(xmin::text, ',' ORDER BY stat_id) FROM ims.{table} WHERE user_id = @user", new { user });

    private sealed record DailyRow(
        long stat_id, int? user_id, DateOnly stat_date, int sessions_count, int successful_sessions,
        int failed_sessions, int issues_crawled, int unique_issues, int new_issues, int attachments_downloaded,
        int? avg_session_duration_sec, decimal? avg_issues_per_session, string product_stats, string top_queries,
        DateTime created_at);

    private sealed record MonthlyRow(
        long stat_id, int? user_id, int year, int month, int total_sessions, decimal? avg_sessions_per_day,
        int total_issues_crawled, int unique_issues, string keyword_trends, string product_distribution,
        string issue_status_breakdown, decimal? avg_parsing_confidence, decimal? synonym_expansion_rate,
        DateTime created_at);
}
