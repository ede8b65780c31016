using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Crawler;

/// <summary>
/// The existing Python crawler's write pattern (SQLAlchemy: explicit values for defaulted
/// columns, naive timestamps), run as ims_user with its user id set, one transaction per step.
/// Every step must succeed and its rows must be there afterwards (checked as the owner).
/// </summary>
public sealed class CrawlerWritesTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static readonly DateTime NaiveStart = new(2024, 5, 1, 10, 0, 0, DateTimeKind.Unspecified);

    private sealed record CrawledIssue(string IssueId, string Title, string Description, string[] Comments, string[] History, string Attachment);

    private Task<long> StartSessionAsync(int userId, string uuid, string product) =>
        fixture.AsRoleAsync(Roles.User, userId, connection => connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query,
                query_language, max_results, crawl_related, status, started_at, total_issues_found,
                issues_crawled, attachments_downloaded, failed_issues, related_issues, parallel_workers,
                data_path, metadata, created_at, updated_at)
            VALUES (@uuid, @userId, @product, '배치 타임아웃', 'batch timeout', 'ko', 100, false, 'running',
                @started, 0, 0, 0, 0, 0, 4, @dataPath, '{"crawler_version": "1.4"}'::jsonb, @started, @started)
            RETURNING session_id
            """,
            new { uuid, userId, product, started = NaiveStart, dataPath = $"data/users/{userId}/sessions/{uuid}" }));

    /// <summary>One issue as the crawler stores it: upsert, link, replace comments and history, add the attachment.</summary>
    private Task<long> StoreIssueAsync(int userId, long sessionId, CrawledIssue issue, string product, int order) =>
        fixture.AsRoleAsync(Roles.User, userId, async connection =>
        {
            var issuePk = await connection.ExecuteScalarAsync<long>(
                "SELECT ims.upsert_issue(@IssueId, @Title, @Description, @product, 'Open', @fullData::jsonb)",
                new { issue.IssueId, issue.Title, issue.Description, product, fullData = $"{{\"issue_id\": \"{issue.IssueId}\"}}" });
            await connection.ExecuteAsync(
                """
                INSERT INTO ims.session_issues (session_id, issue_pk, crawl_order, crawl_duration_ms, had_errors, error_message, created_at)
                VALUES (@sessionId, @issuePk, @order, 1500, false, NULL, @now)
                """,
                new { sessionId, issuePk, order, now = NaiveStart });

            await connection.ExecuteAsync("DELETE FROM ims.issue_comments WHERE issue_pk = @issuePk", new { issuePk });
            for (var i = 0; i < issue.Comments.Length; i++)
                await connection.ExecuteAsync(
                    "INSERT INTO ims.issue_comments (issue_pk, comment_number, author, content, commented_at, created_at) VALUES (@issuePk, @number, 'engineer', @content, @at, @at)",
                    new { issuePk, number = i + 1, content = issue.Comments[i], at = NaiveStart.AddHours(i) });

            await connection.ExecuteAsync("DELETE FROM ims.issue_history WHERE issue_pk = @issuePk", new { issuePk });
            foreach (var change in issue.History)
                await connection.ExecuteAsync(
                    """
                    INSERT INTO ims.issue_history (issue_pk, changed_by, changed_at, change_type, field_name, old_value, new_value, description, created_at)
                    VALUES (@issuePk, 'engineer', @at, 'status_change', 'status', 'Open', @change, @change, @at)
                    """,
                    new { issuePk, change, at = NaiveStart });

            await connection.ExecuteAsync(
                """
                INSERT INTO ims.attachments (issue_pk, session_id, filename, file_type, file_size, file_path, download_url,
                    downloaded, download_error, extracted_text, text_extracted, created_at)
                VALUES (@issuePk, @sessionId, @filename, 'text/plain', 2048, @path, @url, true, NULL, @text, true, @at)
                """,
                new
                {
                    issuePk, sessionId, filename = $"{issue.IssueId}.log", path = $"attachments/{issue.IssueId}.log",
                    url = $"https://ims.example/attach/{issue.IssueId}", text = issue.Attachment, at = NaiveStart,
                });
            return issuePk;
        });

    private Task FinishSessionAsync(int userId, long sessionId, string uuid, int issues) =>
        fixture.AsRoleAsync(Roles.User, userId, async connection =>
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO ims.session_errors (session_id, error_type, severity, error_message, error_detail, occurred_at)
                VALUES (@sessionId, 'attachment_download', 'warning', 'retry after timeout', '{"attempt": 2}'::jsonb, @at)
                """,
                new { sessionId, at = NaiveStart });
            await connection.ExecuteAsync(
                """
                INSERT INTO ims.search_queries (user_id, session_id, original_query, parsed_query, query_language, product,
                    results_count, parsing_method, parsing_confidence, synonym_expanded, intent_filtered, queried_at)
                VALUES (@userId, @sessionId, '배치 타임아웃', 'batch timeout', 'ko', 'OpenFrame', @issues, 'rule_based', 0.95, true, false, @at)
                """,
                new { userId, sessionId, issues, at = NaiveStart });
            foreach (var action in new[] { "crawl.started", "crawl.completed" })
                await connection.ExecuteAsync(
                    """
                    INSERT INTO ims.audit_log (user_id, action, resource_type, resource_id, new_value, ip_address, user_agent, created_at)
                    VALUES (@userId, @action, 'crawl_session', @uuid, '{"status": "ok"}'::jsonb, '10.0.0.7'::inet, 'ims-crawler/1.4', @at)
                    """,
                    new { userId, action, uuid, at = NaiveStart });
            var updated = await connection.ExecuteAsync(
                """
                UPDATE ims.crawl_sessions
                SET status = 'completed', completed_at = @done, duration_seconds = 95, total_issues_found = @issues,
                    issues_crawled = @issues, attachments_downloaded = @issues, search_time_ms = 1200,
                    crawl_time_ms = 93000, avg_issue_time_ms = 46500, updated_at = @done
                WHERE session_id = @sessionId
                """,
                new { sessionId, issues, done = NaiveStart.AddSeconds(95) });
            Assert.Equal(1, updated);
        });

    [Fact]
    public async Task A_whole_crawl_written_as_the_user_is_stored()
    {
        var userId = await fixture.UserAsync();
        var uuid = TestData.Unique("crawl");
        var product = TestData.Unique("CrawlProd");
        CrawledIssue[] crawled =
        [
            new(TestData.Unique("IMS"), "Batch job TPETIME timeout", "배치 작업에서 타임아웃 발생",
                ["Raised the TP timeout", "Customer confirmed"], ["Open -> Assigned", "Assigned -> Closed"], "stack trace zq7crawlattach"),
            new(TestData.Unique("IMS"), "JCL abend S0C4", "abend in step 3",
                ["Applied patch"], ["Open -> Closed"], "dump text"),
        ];

        var sessionId = await StartSessionAsync(userId, uuid, product);
        var issuePks = new List<long>();
        for (var i = 0; i < crawled.Length; i++)
            issuePks.Add(await StoreIssueAsync(userId, sessionId, crawled[i], product, i + 1));
        await FinishSessionAsync(userId, sessionId, uuid, crawled.Length);

        var session = await fixture.QuerySingleAsync<(int, string, string, int, int, int, DateTime)>(
            "SELECT user_id, session_uuid, status, issues_crawled, attachments_downloaded, duration_seconds, started_at AT TIME ZONE current_setting('TimeZone') FROM ims.crawl_sessions WHERE session_id = @sessionId",
            new { sessionId });
        Assert.Equal((userId, uuid, "completed", 2, 2, 95, NaiveStart), session);

        Assert.Equal(crawled.Select(issue => issue.IssueId), await fixture.QueryAsync<string>(
            "SELECT i.issue_id FROM ims.session_issues si JOIN ims.issues i USING (issue_pk) WHERE si.session_id = @sessionId ORDER BY si.crawl_order",
            new { sessionId }));
        for (var i = 0; i < crawled.Length; i++)
        {
            var issuePk = issuePks[i];
            Assert.Equal((crawled[i].Title, product, 1), await fixture.QuerySingleAsync<(string, string, int)>(
                "SELECT title, product, crawl_count FROM ims.issues WHERE issue_pk = @issuePk", new { issuePk }));
            Assert.Equal(crawled[i].Comments, await fixture.QueryAsync<string>(
                "SELECT content FROM ims.issue_comments WHERE issue_pk = @issuePk ORDER BY comment_number", new { issuePk }));
            Assert.Equal(crawled[i].History, await fixture.QueryAsync<string>(
                "SELECT new_value FROM ims.issue_history WHERE issue_pk = @issuePk ORDER BY history_id", new { issuePk }));
            Assert.Equal([(sessionId, crawled[i].Attachment)], await fixture.QueryAsync<(long, string)>(
                "SELECT session_id, extracted_text FROM ims.attachments WHERE issue_pk = @issuePk", new { issuePk }));
        }

        Assert.Equal(("attachment_download", "warning"), await fixture.QuerySingleAsync<(string, string)>(
            "SELECT error_type, severity FROM ims.session_errors WHERE session_id = @sessionId", new { sessionId }));
        Assert.Equal((userId, 2, 0.95m), await fixture.QuerySingleAsync<(int, int, decimal)>(
            "SELECT user_id, results_count, parsing_confidence FROM ims.search_queries WHERE session_id = @sessionId", new { sessionId }));
        Assert.Equal(["crawl.completed", "crawl.started"], await fixture.QueryAsync<string>(
            "SELECT action FROM ims.audit_log WHERE user_id = @userId ORDER BY action", new { userId }));

        // What the crawler stored is searchable at once (the search document triggers ran for it).
        Assert.Equal([issuePks[0]], await fixture.QueryAsync<long>(
            "SELECT issue_pk FROM ims.search_issues('zq7crawlattach')"));
        Assert.Equal([issuePks[0]], await fixture.QueryAsync<long>(
            "SELECT issue_pk FROM ims.search_issues('타임아웃이', @product)", new { product }));
    }

    [Fact]
    public async Task A_recrawl_replaces_comments_and_history_and_counts_the_crawl()
    {
        var userId = await fixture.UserAsync();
        var otherUserId = await fixture.UserAsync();
        var product = TestData.Unique("CrawlProd");
        var issueId = TestData.Unique("IMS");
        var first = new CrawledIssue(issueId, "Deadlock in Tibero", "lock wait",
            ["first comment", "second comment"], ["Open -> Assigned"], "first attachment");
        var second = first with { Comments = ["rewritten comment"], History = ["Open -> Assigned", "Assigned -> Closed"], Attachment = "second attachment" };

        var session1 = await StartSessionAsync(userId, TestData.Unique("crawl"), product);
        var pk1 = await StoreIssueAsync(userId, session1, first, product, 1);
        var firstCrawledAt = await fixture.ScalarAsync<DateTime>("SELECT first_crawled_at FROM ims.issues WHERE issue_pk = @pk1", new { pk1 });
        // Issues are shared: another user's crawl of the same IMS issue updates the same row.
        var session2 = await StartSessionAsync(otherUserId, TestData.Unique("crawl"), product);
        var pk2 = await StoreIssueAsync(otherUserId, session2, second, product, 1);

        Assert.Equal(pk1, pk2);
        Assert.Equal((2, firstCrawledAt), await fixture.QuerySingleAsync<(int, DateTime)>(
            "SELECT crawl_count, first_crawled_at FROM ims.issues WHERE issue_pk = @pk1", new { pk1 }));
        Assert.Equal(second.Comments, await fixture.QueryAsync<string>(
            "SELECT content FROM ims.issue_comments WHERE issue_pk = @pk1 ORDER BY comment_number", new { pk1 }));
        Assert.Equal(second.History, await fixture.QueryAsync<string>(
            "SELECT new_value FROM ims.issue_history WHERE issue_pk = @pk1 ORDER BY history_id", new { pk1 }));
        // Each user's session keeps its own attachment row.
        Assert.Equal([(session1, "first attachment"), (session2, "second attachment")], await fixture.QueryAsync<(long, string)>(
            "SELECT session_id, extracted_text FROM ims.attachments WHERE issue_pk = @pk1 ORDER BY attachment_id", new { pk1 }));
        // The replaced comment is no longer found; the new one is.
        Assert.Empty(await fixture.QueryAsync<long>("SELECT issue_pk FROM ims.search_issues('\"second comment\"', @product)", new { product }));
        Assert.Equal([pk1], await fixture.QueryAsync<long>("SELECT issue_pk FROM ims.search_issues('rewritten', @product)", new { product }));
    }

    [Fact]
    public async Task The_crawler_cannot_link_issues_into_another_users_session()
    {
        var userId = await fixture.UserAsync();
        var otherUserId = await fixture.UserAsync();
        var product = TestData.Unique("CrawlProd");
        var otherSession = await StartSessionAsync(otherUserId, TestData.Unique("crawl"), product);

        var error = await Assert.ThrowsAsync<PostgresException>(() => StoreIssueAsync(userId, otherSession,
            new CrawledIssue(TestData.Unique("IMS"), "t", "d", [], [], "a"), product, 1));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ims.session_issues WHERE session_id = @otherSession", new { otherSession }));
    }
}
