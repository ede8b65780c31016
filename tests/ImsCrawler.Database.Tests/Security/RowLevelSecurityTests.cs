using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Security;

/// <summary>
/// ims_user, through <c>SET LOCAL ROLE</c> and <c>ims.set_current_user</c> as the API runs each
/// request: it sees and writes only its own rows. Each test makes two fresh users, A and B, with a
/// row in every per-user table, and asserts exact id sets (other tests' rows are in the database too).
/// </summary>
public sealed class RowLevelSecurityTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private async Task<(UserRows A, UserRows B, string Product)> TwoUsersAsync()
    {
        var product = TestData.Unique("RlsProd");
        var a = await fixture.UserWithRowsAsync(product, issuesCrawled: 3);
        var b = await fixture.UserWithRowsAsync(product, issuesCrawled: 5);
        return (a, b, product);
    }

    private Task<List<long>> AsUserAsync(int? userId, string sql, object? args = null) =>
        fixture.AsRoleAsync(Roles.User, userId, async connection => (await connection.QueryAsync<long>(sql, args)).AsList());

    [Theory]
    [InlineData("users")]
    [InlineData("crawl_sessions")]
    [InlineData("session_issues")]
    [InlineData("session_errors")]
    [InlineData("search_queries")]
    [InlineData("analytics_daily")]
    [InlineData("analytics_monthly")]
    [InlineData("audit_log")]
    public async Task A_user_sees_only_its_own_rows(string table)
    {
        var (a, b, _) = await TwoUsersAsync();
        var key = SecurityData.PerUserTables[table];

        var visibleToA = await AsUserAsync(a.UserId, $"SELECT {key}::bigint FROM ims.{table} ORDER BY 1");
        var visibleToB = await AsUserAsync(b.UserId, $"SELECT {key}::bigint FROM ims.{table} ORDER BY 1");

        Assert.Equal([a.KeyOf(table)], visibleToA);
        Assert.Equal([b.KeyOf(table)], visibleToB);
        // The owner sees both, so the filtering is RLS, not missing data.
        Assert.Equal(2, await fixture.ScalarAsync<long>(
            $"SELECT count(*) FROM ims.{table} WHERE {key} IN (@ka, @kb)", new { ka = a.KeyOf(table), kb = b.KeyOf(table) }));
    }

    [Fact]
    public async Task A_user_sees_its_own_sessions_attachments_and_those_no_session_holds()
    {
        var (a, b, _) = await TwoUsersAsync();
        var sessionless = await fixture.SessionlessAttachmentAsync(b.IssuePk);
        var expected = await fixture.QueryAsync<long>(
            "SELECT attachment_id FROM ims.attachments WHERE session_id IS NULL OR session_id = @session ORDER BY 1",
            new { session = a.SessionId });

        var visible = await AsUserAsync(a.UserId, "SELECT attachment_id FROM ims.attachments ORDER BY 1");

        Assert.Equal(expected, visible);
        Assert.Contains(a.AttachmentId, visible);
        Assert.Contains(sessionless, visible);
        Assert.DoesNotContain(b.AttachmentId, visible);
    }

    [Fact]
    public async Task The_dashboard_view_shows_only_the_users_own_figures()
    {
        var (a, _, _) = await TwoUsersAsync();

        var rows = await fixture.AsRoleAsync(Roles.User, a.UserId, async connection =>
            (await connection.QueryAsync<(int UserId, long Sessions, long Crawled, long Unique, long Searches)>(
                "SELECT user_id, total_sessions, total_issues_crawled, unique_issues, total_searches FROM ims.v_user_dashboard")).AsList());

        Assert.Equal([(a.UserId, 1L, 3L, 1L, 1L)], rows);
    }

    [Fact]
    public async Task The_session_detail_view_shows_only_the_users_own_sessions()
    {
        var (a, _, _) = await TwoUsersAsync();

        var rows = await fixture.AsRoleAsync(Roles.User, a.UserId, async connection =>
            (await connection.QueryAsync<(long SessionId, int UserId, long Linked, long Errors, long Attachments)>(
                "SELECT session_id, user_id, linked_issues, error_count, attachment_count FROM ims.v_session_detail")).AsList());

        Assert.Equal([(a.SessionId, a.UserId, 1L, 1L, 1L)], rows);
    }

    [Fact]
    public async Task The_recent_activity_view_shows_only_the_users_own_activity()
    {
        var (a, _, _) = await TwoUsersAsync();

        var rows = await fixture.AsRoleAsync(Roles.User, a.UserId, async connection =>
            (await connection.QueryAsync<(int UserId, string Type, long? SessionId)>(
                "SELECT user_id, activity_type, session_id FROM ims.v_recent_activity ORDER BY activity_type")).AsList());

        Assert.Equal([(a.UserId, "crawl", (long?)a.SessionId), (a.UserId, "search", (long?)a.SessionId)], rows);
    }

    [Fact]
    public async Task The_product_stats_view_counts_only_the_users_own_sessions()
    {
        var (a, b, product) = await TwoUsersAsync();
        var onlyB = TestData.Unique("RlsOnlyB");
        await fixture.SessionAsync(b.UserId, product: onlyB, issuesCrawled: 7);

        var rows = await fixture.AsRoleAsync(Roles.User, a.UserId, async connection =>
            (await connection.QueryAsync<(string Product, long Sessions, long Users, long Crawled, long Unique)>(
                "SELECT product, total_sessions, user_count, total_issues_crawled, unique_issues FROM ims.v_product_stats")).AsList());

        Assert.Equal([(product, 1L, 1L, 3L, 1L)], rows);
        // The owner (no RLS) sees both users in that product, and B's other product.
        Assert.Equal((2L, 2L, 8L), await fixture.QuerySingleAsync<(long, long, long)>(
            "SELECT total_sessions, user_count, total_issues_crawled FROM ims.v_product_stats WHERE product = @product", new { product }));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ims.v_product_stats WHERE product = @onlyB", new { onlyB }));
    }

    [Fact]
    public async Task A_user_can_write_its_own_rows_in_every_per_user_table()
    {
        var (a, _, _) = await TwoUsersAsync();

        var written = await fixture.AsRoleAsync(Roles.User, a.UserId, async connection =>
        {
            var args = new { user = a.UserId, uuid = TestData.Unique("rls-own"), issue = a.IssuePk };
            var session = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) VALUES (@uuid, @user, 'Tibero', 'q', 'q') RETURNING session_id", args);
            var sessionArgs = new { a.UserId, session, issue = a.IssuePk };
            var changed = new[]
            {
                await connection.ExecuteAsync("INSERT INTO ims.session_issues (session_id, issue_pk) VALUES (@session, @issue)", sessionArgs),
                await connection.ExecuteAsync("INSERT INTO ims.session_errors (session_id, severity, error_message) VALUES (@session, 'warning', 'slow')", sessionArgs),
                await connection.ExecuteAsync("INSERT INTO ims.attachments (issue_pk, session_id, filename) VALUES (@issue, @session, 'own.txt')", sessionArgs),
                await connection.ExecuteAsync("INSERT INTO ims.search_queries (user_id, session_id, original_query) VALUES (@UserId, @session, 'q')", sessionArgs),
                await connection.ExecuteAsync("INSERT INTO ims.analytics_daily (user_id, stat_date) VALUES (@UserId, DATE '2024-05-02')", sessionArgs),
                await connection.ExecuteAsync("INSERT INTO ims.analytics_monthly (user_id, year, month) VALUES (@UserId, 2024, 6)", sessionArgs),
                await connection.ExecuteAsync("INSERT INTO ims.audit_log (user_id, action) VALUES (@UserId, 'own.write')", sessionArgs),
                await connection.ExecuteAsync("UPDATE ims.crawl_sessions SET status = 'completed' WHERE session_id = @session", sessionArgs),
                await connection.ExecuteAsync("UPDATE ims.users SET full_name = 'Own Name' WHERE user_id = @UserId", sessionArgs),
                await connection.ExecuteAsync("UPDATE ims.analytics_daily SET sessions_count = 9 WHERE user_id = @UserId AND stat_date = DATE '2024-05-02'", sessionArgs),
                await connection.ExecuteAsync("DELETE FROM ims.session_errors WHERE session_id = @session", sessionArgs),
                await connection.ExecuteAsync("DELETE FROM ims.search_queries WHERE session_id = @session", sessionArgs),
            };
            return (session, changed);
        });

        Assert.All(written.changed, count => Assert.Equal(1, count));
        Assert.Equal(("completed", 1L, 1L, 0L, 0L), await fixture.QuerySingleAsync<(string, long, long, long, long)>(
            """
            SELECT cs.status,
                   (SELECT count(*) FROM ims.session_issues WHERE session_id = cs.session_id),
                   (SELECT count(*) FROM ims.attachments WHERE session_id = cs.session_id),
                   (SELECT count(*) FROM ims.session_errors WHERE session_id = cs.session_id),
                   (SELECT count(*) FROM ims.search_queries WHERE session_id = cs.session_id)
            FROM ims.crawl_sessions cs WHERE cs.session_id = @session
            """, new { written.session }));
        Assert.Equal("Own Name", await fixture.ScalarAsync<string>("SELECT full_name FROM ims.users WHERE user_id = @UserId", new { a.UserId }));
        Assert.Equal(2L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ims.audit_log WHERE user_id = @UserId", new { a.UserId }));
    }

    [Theory]
    [InlineData("crawl_sessions", "INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) VALUES (@uuid, @otherUser, 'OpenFrame', 'q', 'q')")]
    [InlineData("session_issues", "INSERT INTO ims.session_issues (session_id, issue_pk) VALUES (@otherSession, @ownIssue)")]
    [InlineData("session_errors", "INSERT INTO ims.session_errors (session_id, severity, error_message) VALUES (@otherSession, 'error', 'x')")]
    [InlineData("attachments", "INSERT INTO ims.attachments (issue_pk, session_id, filename) VALUES (@ownIssue, @otherSession, 'x.txt')")]
    [InlineData("search_queries", "INSERT INTO ims.search_queries (user_id, original_query) VALUES (@otherUser, 'q')")]
    [InlineData("analytics_daily", "INSERT INTO ims.analytics_daily (user_id, stat_date) VALUES (@otherUser, DATE '2024-06-01')")]
    [InlineData("analytics_monthly", "INSERT INTO ims.analytics_monthly (user_id, year, month) VALUES (@otherUser, 2024, 7)")]
    [InlineData("audit_log", "INSERT INTO ims.audit_log (user_id, action) VALUES (@otherUser, 'forged')")]
    [InlineData("audit_log (no user)", "INSERT INTO ims.audit_log (user_id, action) VALUES (NULL, 'anonymous')")]
    [InlineData("crawl_sessions (moved to another user)", "UPDATE ims.crawl_sessions SET user_id = @otherUser WHERE session_id = @ownSession")]
    [InlineData("session_issues (moved to another session)", "UPDATE ims.session_issues SET session_id = @otherSession WHERE session_id = @ownSession")]
    [InlineData("attachments (moved to another session)", "UPDATE ims.attachments SET session_id = @otherSession WHERE session_id = @ownSession")]
    [InlineData("search_queries (moved to another user)", "UPDATE ims.search_queries SET user_id = @otherUser WHERE user_id = @ownUser")]
    public async Task Writing_a_row_for_another_user_is_rejected_by_the_policy(string table, string sql)
    {
        _ = table;
        var (a, b, _) = await TwoUsersAsync();
        var args = new
        {
            uuid = TestData.Unique("rls-forged"), otherUser = b.UserId, otherSession = b.SessionId,
            ownUser = a.UserId, ownSession = a.SessionId, ownIssue = a.IssuePk,
        };

        await SecurityData.AssertRejectedByPolicyAsync(() =>
            fixture.AsRoleAsync(Roles.User, a.UserId, connection => connection.ExecuteAsync(sql, args)));

        // Nothing of B's changed and nothing was added for B.
        Assert.Equal((1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L), await fixture.QuerySingleAsync<(long, long, long, long, long, long, long, long)>(
            """
            SELECT (SELECT count(*) FROM ims.crawl_sessions WHERE user_id = @otherUser),
                   (SELECT count(*) FROM ims.session_issues WHERE session_id = @otherSession),
                   (SELECT count(*) FROM ims.session_errors WHERE session_id = @otherSession),
                   (SELECT count(*) FROM ims.attachments WHERE session_id = @otherSession),
                   (SELECT count(*) FROM ims.search_queries WHERE user_id = @otherUser),
                   (SELECT count(*) FROM ims.analytics_daily WHERE user_id = @otherUser),
                   (SELECT count(*) FROM ims.analytics_monthly WHERE user_id = @otherUser),
                   (SELECT count(*) FROM ims.audit_log WHERE user_id = @otherUser)
            """, args));
    }

    [Fact]
    public async Task A_user_cannot_create_users()
    {
        var (a, _, _) = await TwoUsersAsync();
        await SecurityData.AssertDeniedAsync(() => fixture.AsRoleAsync(Roles.User, a.UserId, connection =>
            connection.ExecuteAsync("INSERT INTO ims.users (username) VALUES (@name)", new { name = TestData.Unique("intruder") })));
    }

    [Theory]
    [InlineData("UPDATE ims.users SET full_name = 'hijacked' WHERE user_id = @otherUser")]
    [InlineData("UPDATE ims.crawl_sessions SET status = 'cancelled' WHERE session_id = @otherSession")]
    [InlineData("DELETE FROM ims.crawl_sessions WHERE session_id = @otherSession")]
    [InlineData("UPDATE ims.session_issues SET had_errors = true WHERE session_id = @otherSession")]
    [InlineData("DELETE FROM ims.session_issues WHERE session_id = @otherSession")]
    [InlineData("UPDATE ims.session_errors SET error_message = 'x' WHERE session_id = @otherSession")]
    [InlineData("DELETE FROM ims.session_errors WHERE session_id = @otherSession")]
    [InlineData("UPDATE ims.attachments SET filename = 'x' WHERE session_id = @otherSession")]
    [InlineData("DELETE FROM ims.attachments WHERE session_id = @otherSession")]
    [InlineData("UPDATE ims.search_queries SET original_query = 'x' WHERE user_id = @otherUser")]
    [InlineData("DELETE FROM ims.search_queries WHERE user_id = @otherUser")]
    [InlineData("UPDATE ims.analytics_daily SET sessions_count = 99 WHERE user_id = @otherUser")]
    [InlineData("DELETE FROM ims.analytics_daily WHERE user_id = @otherUser")]
    [InlineData("UPDATE ims.analytics_monthly SET total_sessions = 99 WHERE user_id = @otherUser")]
    [InlineData("DELETE FROM ims.analytics_monthly WHERE user_id = @otherUser")]
    public async Task Updating_or_deleting_another_users_rows_affects_nothing(string sql)
    {
        var (a, b, _) = await TwoUsersAsync();
        var args = new { otherUser = b.UserId, otherSession = b.SessionId };
        var before = await SnapshotAsync(b);

        var affected = await fixture.AsRoleAsync(Roles.User, a.UserId, connection => connection.ExecuteAsync(sql, args));

        Assert.Equal(0, affected);
        Assert.Equal(before, await SnapshotAsync(b));
    }

    /// <summary>B's rows as text, as the owner sees them: any change shows up.</summary>
    private Task<string> SnapshotAsync(UserRows b) =>
        fixture.ScalarAsync<string>(
            """
            SELECT concat_ws(' | ',
                (SELECT row_to_json(x)::text FROM ims.users x WHERE user_id = @UserId),
                (SELECT row_to_json(x)::text FROM ims.crawl_sessions x WHERE session_id = @SessionId),
                (SELECT row_to_json(x)::text FROM ims.session_issues x WHERE session_issue_id = @SessionIssueId),
                (SELECT row_to_json(x)::text FROM ims.session_errors x WHERE error_id = @ErrorId),
                (SELECT row_to_json(x)::text FROM ims.attachments x WHERE attachment_id = @AttachmentId),
                (SELECT row_to_json(x)::text FROM ims.search_queries x WHERE query_id = @QueryId),
                (SELECT row_to_json(x)::text FROM ims.analytics_daily x WHERE stat_id = @DailyId),
                (SELECT row_to_json(x)::text FROM ims.analytics_monthly x WHERE stat_id = @MonthlyId),
                (SELECT row_to_json(x)::text FROM ims.audit_log x WHERE log_id = @AuditId))
            """,
            b);

    public static TheoryData<string> UserScopedRelations =>
    [
        "ims.users", "ims.crawl_sessions", "ims.session_issues", "ims.session_errors",
        "ims.search_queries", "ims.analytics_daily", "ims.analytics_monthly", "ims.audit_log",
        "ims.v_user_dashboard", "ims.v_session_detail", "ims.v_recent_activity", "ims.v_product_stats",
    ];

    [Theory]
    [MemberData(nameof(UserScopedRelations))]
    public async Task Without_a_user_the_user_role_sees_no_rows_and_gets_no_error(string relation)
    {
        await TwoUsersAsync();
        Assert.True(await fixture.ScalarAsync<long>($"SELECT count(*) FROM {relation}") > 0);

        var unset = await AsUserAsync(null, $"SELECT count(*) FROM {relation}");
        var explicitNull = await fixture.AsRoleAsync(Roles.User, null, async connection =>
        {
            await connection.ExecuteAsync("SELECT ims.set_current_user(NULL)");
            return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {relation}");
        });
        var empty = await fixture.AsRoleAsync(Roles.User, null, async connection =>
        {
            await connection.ExecuteAsync("SELECT set_config('app.current_user_id', '', true)");
            return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {relation}");
        });

        Assert.Equal([0L], unset);
        Assert.Equal(0L, explicitNull);
        Assert.Equal(0L, empty);
    }

    [Fact]
    public async Task Without_a_user_no_attachment_is_visible_not_even_one_no_session_holds()
    {
        var (_, b, _) = await TwoUsersAsync();
        await fixture.SessionlessAttachmentAsync(b.IssuePk);

        var visible = await AsUserAsync(null, "SELECT attachment_id FROM ims.attachments ORDER BY 1");

        Assert.Empty(visible);
    }

    [Fact]
    public async Task A_user_cannot_change_or_claim_attachments_that_no_session_holds()
    {
        var (a, b, _) = await TwoUsersAsync();
        var sessionless = await fixture.SessionlessAttachmentAsync(b.IssuePk);

        var touched = await fixture.AsRoleAsync(Roles.User, a.UserId, connection => connection.ExecuteAsync(
            """
            UPDATE ims.attachments SET filename = 'mine.txt' WHERE attachment_id = @sessionless;
            DELETE FROM ims.attachments WHERE attachment_id = @sessionless;
            """, new { sessionless }));

        Assert.Equal(0, touched);
        Assert.Equal("orphan.txt", await fixture.ScalarAsync<string>(
            "SELECT filename FROM ims.attachments WHERE attachment_id = @sessionless", new { sessionless }));
    }

    [Fact]
    public async Task The_user_id_does_not_survive_the_transaction_on_the_same_connection()
    {
        var (a, _, _) = await TwoUsersAsync();
        await using var connection = await fixture.OpenAsync();
        var owner = await connection.ExecuteScalarAsync<string>("SELECT current_user");

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("SET LOCAL ROLE ims_user");
            await connection.ExecuteAsync("SELECT ims.set_current_user(@UserId)", new { a.UserId });
            Assert.Equal(a.UserId.ToString(), await connection.ExecuteScalarAsync<string>("SELECT current_setting('app.current_user_id', true)"));
            Assert.Equal([a.SessionId], (await connection.QueryAsync<long>("SELECT session_id FROM ims.crawl_sessions")).AsList());
            await transaction.CommitAsync();
        }

        Assert.True(string.IsNullOrEmpty(await connection.ExecuteScalarAsync<string?>("SELECT current_setting('app.current_user_id', true)")));
        Assert.Null(await connection.ExecuteScalarAsync<int?>("SELECT ims.get_current_user_id()"));
        Assert.Equal(owner, await connection.ExecuteScalarAsync<string>("SELECT current_user"));

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("SET LOCAL ROLE ims_user");
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ims.crawl_sessions"));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ims.users"));
            await transaction.CommitAsync();
        }

        // A rolled-back transaction leaves nothing behind either.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("SELECT ims.set_current_user(@UserId)", new { a.UserId });
            await transaction.RollbackAsync();
        }
        Assert.True(string.IsNullOrEmpty(await connection.ExecuteScalarAsync<string?>("SELECT current_setting('app.current_user_id', true)")));
    }

    [Fact]
    public async Task Set_current_user_outside_a_transaction_does_not_stick_to_the_connection()
    {
        var (a, _, _) = await TwoUsersAsync();
        await using var connection = await fixture.OpenAsync();

        // Autocommit: the statement is its own transaction, so the setting ends with it.
        await connection.ExecuteAsync("SELECT ims.set_current_user(@UserId)", new { a.UserId });

        Assert.True(string.IsNullOrEmpty(await connection.ExecuteScalarAsync<string?>("SELECT current_setting('app.current_user_id', true)")));
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL ROLE ims_user");
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ims.crawl_sessions"));
    }

    [Fact]
    public async Task Functions_running_as_the_caller_respect_the_callers_rows()
    {
        var (a, b, _) = await TwoUsersAsync();
        await fixture.ExecuteAsync("UPDATE ims.crawl_sessions SET started_at = now() - interval '200 days' WHERE session_id = @SessionId", new { b.SessionId });

        var (statsOfB, deleted) = await fixture.AsRoleAsync(Roles.User, a.UserId, async connection =>
        {
            var stats = await connection.QuerySingleAsync<(long, long)>(
                "SELECT total_sessions, total_issues_crawled FROM ims.get_user_stats(@UserId)", new { b.UserId });
            var gone = await connection.QuerySingleAsync<(int, int, int)>(
                "SELECT * FROM ims.delete_old_sessions(@UserId, 90)", new { b.UserId });
            return (stats, gone);
        });

        Assert.Equal((0L, 0L), statsOfB);
        Assert.Equal((0, 0, 0), deleted);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ims.crawl_sessions WHERE session_id = @SessionId", new { b.SessionId }));
    }
}
