using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Infrastructure;

/// <summary>Builds rows as the owner, with unique natural keys, so tests never collide with the seed.</summary>
public static class TestData
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static Task<int> UserAsync(this DatabaseFixture db, string role = "user") =>
        db.ScalarAsync<int>(
            "INSERT INTO ims.users (username, role) VALUES (@name, @role) RETURNING user_id",
            new { name = Unique("user"), role });

    public static Task<long> SessionAsync(this DatabaseFixture db, int userId,
        string product = "OpenFrame", string status = "completed", int issuesCrawled = 0,
        DateTimeOffset? startedAt = null, int? durationSeconds = 60, int attachmentsDownloaded = 0,
        string query = "batch timeout") =>
        db.ScalarAsync<long>(
            """
            INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query,
                status, started_at, duration_seconds, issues_crawled, attachments_downloaded)
            VALUES (@uuid, @userId, @product, @query, @query, @status, @startedAt, @durationSeconds,
                @issuesCrawled, @attachmentsDownloaded)
            RETURNING session_id
            """,
            new
            {
                uuid = Unique("session"), userId, product, query, status,
                startedAt = startedAt ?? DateTimeOffset.UtcNow, durationSeconds, issuesCrawled,
                attachmentsDownloaded,
            });

    public static Task<long> IssueAsync(this DatabaseFixture db, string title = "An issue",
        string? description = null, string? product = "OpenFrame", string? status = "Open",
        DateTimeOffset? firstCrawledAt = null) =>
        db.ScalarAsync<long>(
            """
            INSERT INTO ims.issues (issue_id, title, description, product, status, first_crawled_at)
            VALUES (@issueId, @title, @description, @product, @status, @firstCrawledAt)
            RETURNING issue_pk
            """,
            new
            {
                issueId = Unique("I"), title, description, product, status,
                firstCrawledAt = firstCrawledAt ?? DateTimeOffset.UtcNow,
            });

    public static Task LinkAsync(this DatabaseFixture db, long sessionId, long issuePk, int? crawlOrder = 1) =>
        db.ExecuteAsync(
            "INSERT INTO ims.session_issues (session_id, issue_pk, crawl_order) VALUES (@sessionId, @issuePk, @crawlOrder)",
            new { sessionId, issuePk, crawlOrder });
}
