using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Security;

/// <summary>What ims_readonly, ims_admin and ims_user may and may not do beyond their rows.</summary>
public sealed class RolePrivilegeTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    public static TheoryData<string> EveryRelation =>
    [
        "ims.users", "ims.crawl_sessions", "ims.issues", "ims.session_issues", "ims.issue_comments",
        "ims.issue_history", "ims.attachments", "ims.search_queries", "ims.session_errors",
        "ims.analytics_daily", "ims.analytics_monthly", "ims.audit_log", "ims.issue_search_documents",
        "ims.v_user_dashboard", "ims.v_session_detail", "ims.v_issue_search", "ims.v_recent_activity",
        "ims.v_product_stats", "ims.mv_daily_session_summary", "ims.mv_issue_trends",
    ];

    public static TheoryData<string> PerUserTables => [.. SecurityData.PerUserTables.Keys];

    private async Task<(UserRows A, UserRows B)> TwoUsersAsync()
    {
        var product = TestData.Unique("RoleProd");
        var a = await fixture.UserWithRowsAsync(product);
        var b = await fixture.UserWithRowsAsync(product);
        await fixture.SessionlessAttachmentAsync(b.IssuePk);
        await fixture.ExecuteAsync("INSERT INTO ims.issue_comments (issue_pk, content) VALUES (@IssuePk, 'c')", b);
        await fixture.ExecuteAsync("INSERT INTO ims.issue_history (issue_pk, change_type) VALUES (@IssuePk, 'status_change')", b);
        await fixture.ExecuteAsync("SELECT ims.refresh_materialized_views()");
        return (a, b);
    }

    [Theory]
    [MemberData(nameof(EveryRelation))]
    public async Task Readonly_reads_every_row_of_every_relation(string relation)
    {
        await TwoUsersAsync();
        var all = await fixture.ScalarAsync<long>($"SELECT count(*) FROM {relation}");

        var asReadOnly = await fixture.AsRoleAsync(Roles.ReadOnly, null, connection =>
            connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {relation}"));

        Assert.True(all > 0, $"{relation} has rows to read");
        Assert.Equal(all, asReadOnly);
    }

    [Theory]
    [InlineData("INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) VALUES ('ro-forged', @UserId, 'OpenFrame', 'q', 'q')")]
    [InlineData("UPDATE ims.crawl_sessions SET status = 'failed' WHERE session_id = @SessionId")]
    [InlineData("DELETE FROM ims.crawl_sessions WHERE session_id = @SessionId")]
    [InlineData("INSERT INTO ims.issues (issue_id, title) VALUES ('ro-forged', 't')")]
    [InlineData("UPDATE ims.issues SET title = 'x' WHERE issue_pk = @IssuePk")]
    [InlineData("DELETE FROM ims.issues WHERE issue_pk = @IssuePk")]
    [InlineData("INSERT INTO ims.issue_comments (issue_pk, content) VALUES (@IssuePk, 'x')")]
    [InlineData("DELETE FROM ims.issue_history WHERE issue_pk = @IssuePk")]
    [InlineData("DELETE FROM ims.session_issues WHERE session_issue_id = @SessionIssueId")]
    [InlineData("UPDATE ims.attachments SET filename = 'x' WHERE attachment_id = @AttachmentId")]
    [InlineData("INSERT INTO ims.search_queries (user_id, original_query) VALUES (@UserId, 'q')")]
    [InlineData("UPDATE ims.users SET full_name = 'x' WHERE user_id = @UserId")]
    [InlineData("INSERT INTO ims.audit_log (user_id, action) VALUES (@UserId, 'x')")]
    [InlineData("DELETE FROM ims.audit_log WHERE log_id = @AuditId")]
    [InlineData("UPDATE ims.analytics_daily SET sessions_count = 5 WHERE stat_id = @DailyId")]
    [InlineData("DELETE FROM ims.analytics_monthly WHERE stat_id = @MonthlyId")]
    [InlineData("DELETE FROM ims.issue_search_documents WHERE issue_pk = @IssuePk")]
    [InlineData("SELECT ims.upsert_issue('ro-forged', 't', NULL, NULL, NULL, NULL)")]
    [InlineData("SELECT * FROM ims.delete_old_sessions(@UserId, 0)")]
    [InlineData("SELECT ims.refresh_materialized_views()")]
    [InlineData("SELECT ims.aggregate_daily_stats(DATE '2024-05-01')")]
    [InlineData("REFRESH MATERIALIZED VIEW ims.mv_issue_trends")]
    public async Task Readonly_cannot_write(string sql)
    {
        var (a, _) = await TwoUsersAsync();
        var before = await fixture.ScalarAsync<string>(
            "SELECT md5(string_agg(row_to_json(s)::text, '' ORDER BY session_id)) FROM ims.crawl_sessions s");

        await SecurityData.AssertDeniedAsync(() =>
            fixture.AsRoleAsync(Roles.ReadOnly, null, connection => connection.ExecuteAsync(sql, a)));

        Assert.Equal(before, await fixture.ScalarAsync<string>(
            "SELECT md5(string_agg(row_to_json(s)::text, '' ORDER BY session_id)) FROM ims.crawl_sessions s"));
    }

    [Theory]
    [MemberData(nameof(PerUserTables))]
    public async Task Admin_sees_every_users_rows(string table)
    {
        var (a, b) = await TwoUsersAsync();
        var key = SecurityData.PerUserTables[table];
        var all = await fixture.QueryAsync<long>($"SELECT {key}::bigint FROM ims.{table} ORDER BY 1");

        var withoutUser = await fixture.AsRoleAsync(Roles.Admin, null, async connection =>
            (await connection.QueryAsync<long>($"SELECT {key}::bigint FROM ims.{table} ORDER BY 1")).AsList());
        var withOwnUser = await fixture.AsRoleAsync(Roles.Admin, a.UserId, async connection =>
            (await connection.QueryAsync<long>($"SELECT {key}::bigint FROM ims.{table} ORDER BY 1")).AsList());

        Assert.Equal(all, withoutUser);
        Assert.Equal(all, withOwnUser);
        Assert.Contains(a.KeyOf(table), withoutUser);
        Assert.Contains(b.KeyOf(table), withoutUser);
    }

    [Fact]
    public async Task Admin_sees_every_user_in_the_views_and_writes_for_any_user()
    {
        var (a, b) = await TwoUsersAsync();

        var (dashboardUsers, sessions, inserted) = await fixture.AsRoleAsync(Roles.Admin, a.UserId, async connection =>
        {
            var users = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ims.v_user_dashboard");
            var details = (await connection.QueryAsync<long>(
                "SELECT session_id FROM ims.v_session_detail WHERE user_id IN (@A, @B) ORDER BY 1", new { A = a.UserId, B = b.UserId })).AsList();
            var added = await connection.ExecuteAsync(
                "INSERT INTO ims.audit_log (user_id, action) VALUES (@UserId, 'admin.note')", new { b.UserId });
            return (users, details, added);
        });

        Assert.Equal(await fixture.ScalarAsync<long>("SELECT count(*) FROM ims.users"), dashboardUsers);
        Assert.Equal([a.SessionId, b.SessionId], sessions);
        Assert.Equal(1, inserted);
        Assert.Equal(1L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM ims.audit_log WHERE user_id = @UserId AND action = 'admin.note'", new { b.UserId }));
    }

    [Fact]
    public async Task The_user_role_cannot_read_the_per_user_materialized_view_but_can_read_issue_trends()
    {
        var (a, _) = await TwoUsersAsync();

        await SecurityData.AssertDeniedAsync(() => fixture.AsRoleAsync(Roles.User, a.UserId, connection =>
            connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ims.mv_daily_session_summary")));

        var trends = await fixture.AsRoleAsync(Roles.User, a.UserId, connection =>
            connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ims.mv_issue_trends"));
        Assert.Equal(await fixture.ScalarAsync<long>("SELECT count(*) FROM ims.mv_issue_trends"), trends);
    }

    [Theory]
    [InlineData("UPDATE ims.audit_log SET action = 'rewritten' WHERE log_id = @AuditId")]
    [InlineData("DELETE FROM ims.audit_log WHERE log_id = @AuditId")]
    [InlineData("UPDATE ims.audit_log SET action = 'rewritten'")]
    [InlineData("DELETE FROM ims.audit_log")]
    [InlineData("TRUNCATE ims.audit_log")]
    public async Task The_user_role_cannot_change_or_remove_audit_rows_even_its_own(string sql)
    {
        var (a, _) = await TwoUsersAsync();

        await SecurityData.AssertDeniedAsync(() =>
            fixture.AsRoleAsync(Roles.User, a.UserId, connection => connection.ExecuteAsync(sql, a)));

        Assert.Equal("session.created", await fixture.ScalarAsync<string>("SELECT action FROM ims.audit_log WHERE log_id = @AuditId", a));
    }

    [Theory]
    [InlineData("UPDATE ims.users SET role = 'admin' WHERE user_id = @UserId")]
    [InlineData("UPDATE ims.users SET username = 'renamed' WHERE user_id = @UserId")]
    [InlineData("UPDATE ims.users SET is_active = true WHERE user_id = @UserId")]
    [InlineData("DELETE FROM ims.users WHERE user_id = @UserId")]
    public async Task The_user_role_cannot_change_its_own_role_or_identity(string sql)
    {
        var (a, _) = await TwoUsersAsync();

        await SecurityData.AssertDeniedAsync(() =>
            fixture.AsRoleAsync(Roles.User, a.UserId, connection => connection.ExecuteAsync(sql, a)));

        Assert.Equal(("user", true), await fixture.QuerySingleAsync<(string, bool)>(
            "SELECT role, is_active FROM ims.users WHERE user_id = @UserId", a));
        // What it may change about itself, it can.
        Assert.Equal(1, await fixture.AsRoleAsync(Roles.User, a.UserId, connection =>
            connection.ExecuteAsync("UPDATE ims.users SET full_name = 'Self', preferences = '{\"language\": \"ko\"}' WHERE user_id = @UserId", a)));
    }

    [Theory]
    [InlineData("INSERT INTO ims.issue_search_documents (issue_pk, document) VALUES (@IssuePk, 'x')")]
    [InlineData("UPDATE ims.issue_search_documents SET document = 'x' WHERE issue_pk = @IssuePk")]
    [InlineData("DELETE FROM ims.issue_search_documents WHERE issue_pk = @IssuePk")]
    [InlineData("DELETE FROM ims.issues WHERE issue_pk = @IssuePk")]
    [InlineData("SELECT ims.refresh_issue_search_documents(ARRAY[@IssuePk])")]
    [InlineData("SELECT ims.refresh_materialized_views()")]
    [InlineData("SELECT ims.aggregate_daily_stats(DATE '2024-05-01')")]
    [InlineData("SELECT ims.aggregate_monthly_stats(2024, 5)")]
    [InlineData("SELECT count(*) FROM ims.mv_daily_session_summary")]
    public async Task The_user_role_cannot_touch_what_belongs_to_the_system(string sql)
    {
        var (a, _) = await TwoUsersAsync();

        await SecurityData.AssertDeniedAsync(() =>
            fixture.AsRoleAsync(Roles.User, a.UserId, connection => connection.ExecuteAsync(sql, a)));

        Assert.Equal(1L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM ims.issue_search_documents d JOIN ims.issues i USING (issue_pk) WHERE i.issue_pk = @IssuePk", a));
    }
}
