using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Schema;

public sealed class ConstraintTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_schema_has_the_twelve_contract_tables()
    {
        var tables = await db.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ims' AND table_type = 'BASE TABLE'");

        string[] contract = ["users", "crawl_sessions", "issues", "session_issues", "issue_comments", "issue_history",
            "attachments", "search_queries", "session_errors", "analytics_daily", "analytics_monthly", "audit_log"];
        Assert.Empty(contract.Except(tables));
    }

    [Theory]
    [InlineData("INSERT INTO ims.users (username, role) VALUES ('bad-role', 'superuser')")]
    [InlineData("INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query, status) SELECT 'bad-status', user_id, 'p', 'q', 'q', 'paused' FROM ims.users LIMIT 1")]
    [InlineData("INSERT INTO ims.session_errors (session_id, severity) SELECT session_id, 'fatal' FROM ims.crawl_sessions LIMIT 1")]
    [InlineData("INSERT INTO ims.analytics_monthly (user_id, year, month) SELECT user_id, 2024, 13 FROM ims.users LIMIT 1")]
    [InlineData("INSERT INTO ims.analytics_monthly (user_id, year, month) SELECT user_id, 2024, 0 FROM ims.users LIMIT 1")]
    public async Task Check_constraints_reject_values_outside_their_sets(string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(sql));
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    [Theory]
    [InlineData("INSERT INTO ims.users (username) VALUES ('admin')")]
    [InlineData("INSERT INTO ims.issues (issue_id, title) VALUES ('SAMPLE-001', 'duplicate')")]
    [InlineData("INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) SELECT 'sample-session-0001', user_id, 'p', 'q', 'q' FROM ims.users LIMIT 1")]
    [InlineData("INSERT INTO ims.session_issues (session_id, issue_pk) SELECT session_id, issue_pk FROM ims.session_issues LIMIT 1")]
    [InlineData("INSERT INTO ims.analytics_daily (user_id, stat_date) SELECT user_id, stat_date FROM ims.analytics_daily LIMIT 1")]
    [InlineData("INSERT INTO ims.analytics_monthly (user_id, year, month) SELECT user_id, year, month FROM ims.analytics_monthly LIMIT 1")]
    public async Task Natural_keys_are_unique(string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(sql));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }

    [Theory]
    [InlineData("INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) VALUES ('no-user', 999999, 'p', 'q', 'q')")]
    [InlineData("INSERT INTO ims.issue_comments (issue_pk, content) VALUES (999999, 'orphan')")]
    public async Task Foreign_keys_reject_orphans(string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(sql));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Fact]
    public async Task Deleting_a_user_cascades_to_its_sessions_and_their_rows_and_keeps_its_audit_rows_anonymous()
    {
        var user = await db.UserAsync();
        var session = await db.SessionAsync(user);
        var issue = await db.IssueAsync();
        await db.LinkAsync(session, issue);
        await db.ExecuteAsync(
            """
            INSERT INTO ims.session_errors (session_id, severity, error_message) VALUES (@session, 'error', 'boom');
            INSERT INTO ims.search_queries (user_id, session_id, original_query) VALUES (@user, @session, 'q');
            INSERT INTO ims.attachments (issue_pk, session_id, filename) VALUES (@issue, @session, 'a.log');
            INSERT INTO ims.analytics_daily (user_id, stat_date) VALUES (@user, DATE '2024-01-01');
            INSERT INTO ims.audit_log (user_id, action) VALUES (@user, 'test.cascade');
            """, new { user, session, issue });

        await db.ExecuteAsync("DELETE FROM ims.users WHERE user_id = @user", new { user });

        var left = await db.QuerySingleAsync<(long Sessions, long Links, long Errors, long Queries, long Daily, long Audit, long? AttachmentSession, long Issues)>(
            """
            SELECT (SELECT count(*) FROM ims.crawl_sessions WHERE session_id = @session),
                   (SELECT count(*) FROM ims.session_issues WHERE session_id = @session),
                   (SELECT count(*) FROM ims.session_errors WHERE session_id = @session),
                   (SELECT count(*) FROM ims.search_queries WHERE session_id = @session),
                   (SELECT count(*) FROM ims.analytics_daily WHERE user_id = @user),
                   (SELECT count(*) FROM ims.audit_log WHERE action = 'test.cascade' AND user_id IS NULL),
                   (SELECT session_id FROM ims.attachments WHERE issue_pk = @issue),
                   (SELECT count(*) FROM ims.issues WHERE issue_pk = @issue)
            """, new { user, session, issue });

        Assert.Equal((0L, 0L, 0L, 0L, 0L, 1L, (long?)null, 1L), left);
    }

    [Fact]
    public async Task Deleting_an_issue_cascades_to_its_comments_history_attachments_links_and_search_document()
    {
        var issue = await db.IssueAsync(title: "cascade me");
        var session = await db.SessionAsync(await db.UserAsync());
        await db.LinkAsync(session, issue);
        await db.ExecuteAsync(
            """
            INSERT INTO ims.issue_comments (issue_pk, comment_number, content) VALUES (@issue, 1, 'c');
            INSERT INTO ims.issue_history (issue_pk, description) VALUES (@issue, 'h');
            INSERT INTO ims.attachments (issue_pk, filename) VALUES (@issue, 'f');
            """, new { issue });

        await db.ExecuteAsync("DELETE FROM ims.issues WHERE issue_pk = @issue", new { issue });

        var remaining = await db.ScalarAsync<long>(
            """
            SELECT (SELECT count(*) FROM ims.issue_comments WHERE issue_pk = @issue)
                 + (SELECT count(*) FROM ims.issue_history WHERE issue_pk = @issue)
                 + (SELECT count(*) FROM ims.attachments WHERE issue_pk = @issue)
                 + (SELECT count(*) FROM ims.session_issues WHERE issue_pk = @issue)
                 + (SELECT count(*) FROM ims.issue_search_documents WHERE issue_pk = @issue)
            """, new { issue });
        Assert.Equal(0, remaining);
    }

    [Fact]
    public async Task Defaults_match_the_contract()
    {
        var user = await db.UserAsync();
        var session = await db.ScalarAsync<long>(
            "INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) VALUES (@uuid, @user, 'p', 'q', 'q') RETURNING session_id",
            new { uuid = TestData.Unique("defaults"), user });

        var row = await db.QuerySingleAsync<(string Status, string Language, int MaxResults, bool Related, int Crawled, int Workers, string Metadata)>(
            "SELECT status, query_language, max_results, crawl_related, issues_crawled, parallel_workers, metadata::text FROM ims.crawl_sessions WHERE session_id = @session",
            new { session });
        Assert.Equal(("running", "en", 100, false, 0, 1, "{}"), row);
        Assert.Equal("user", await db.ScalarAsync<string>("SELECT role FROM ims.users WHERE user_id = @user", new { user }));
    }

    [Fact]
    public async Task Updated_at_is_kept_by_trigger_and_left_alone_by_an_update_that_changes_nothing()
    {
        var issue = await db.IssueAsync(title: "before");
        await db.ExecuteAsync(
            "SET session_replication_role = replica; UPDATE ims.issues SET updated_at = '2000-01-01' WHERE issue_pk = @issue; RESET session_replication_role",
            new { issue });
        await db.ExecuteAsync("UPDATE ims.issues SET title = title WHERE issue_pk = @issue", new { issue });
        var unchanged = await db.ScalarAsync<DateTime>("SELECT updated_at FROM ims.issues WHERE issue_pk = @issue", new { issue });

        await db.ExecuteAsync("UPDATE ims.issues SET title = 'after' WHERE issue_pk = @issue", new { issue });
        var changed = await db.ScalarAsync<DateTime>("SELECT updated_at FROM ims.issues WHERE issue_pk = @issue", new { issue });

        Assert.Equal(2000, unchanged.Year);
        Assert.True(changed > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task No_index_duplicates_a_unique_constraint_and_full_data_has_no_gin_index()
    {
        var duplicates = await db.QueryAsync<string>(
            """
            SELECT a.indexrelid::regclass::text
            FROM pg_index a
            JOIN pg_index b ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid
                           AND b.indisunique AND a.indkey::text = b.indkey::text
                           -- a partial index over other rows serves another query
                           AND pg_get_expr(a.indpred, a.indrelid) IS NOT DISTINCT FROM pg_get_expr(b.indpred, b.indrelid)
                           AND pg_get_expr(a.indexprs, a.indrelid) IS NOT DISTINCT FROM pg_get_expr(b.indexprs, b.indrelid)
            JOIN pg_class t ON t.oid = a.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'ims' AND NOT a.indisunique
            """);
        var fullDataIndexes = await db.QueryAsync<string>(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'ims' AND indexdef ILIKE '%full_data%'");

        Assert.Empty(duplicates);
        Assert.Empty(fullDataIndexes);
    }
}
