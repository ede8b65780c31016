using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Security;

/// <summary>One user with one row in every per-user table (made as the owner).</summary>
public sealed record UserRows(
    int UserId, long SessionId, long IssuePk, long SessionIssueId, long ErrorId, long AttachmentId,
    long QueryId, long DailyId, long MonthlyId, long AuditId);

public static class SecurityData
{
    /// <summary>The per-user tables (RLS forced) and their key columns.</summary>
    public static readonly IReadOnlyDictionary<string, string> PerUserTables = new Dictionary<string, string>
    {
        ["users"] = "user_id",
        ["crawl_sessions"] = "session_id",
        ["session_issues"] = "session_issue_id",
        ["session_errors"] = "error_id",
        ["attachments"] = "attachment_id",
        ["search_queries"] = "query_id",
        ["analytics_daily"] = "stat_id",
        ["analytics_monthly"] = "stat_id",
        ["audit_log"] = "log_id",
    };

    public static long KeyOf(this UserRows rows, string table) => table switch
    {
        "users" => rows.UserId,
        "crawl_sessions" => rows.SessionId,
        "session_issues" => rows.SessionIssueId,
        "session_errors" => rows.ErrorId,
        "attachments" => rows.AttachmentId,
        "search_queries" => rows.QueryId,
        "analytics_daily" => rows.DailyId,
        "analytics_monthly" => rows.MonthlyId,
        "audit_log" => rows.AuditId,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
    };

    public static async Task<UserRows> UserWithRowsAsync(this DatabaseFixture db, string product, int issuesCrawled = 3)
    {
        var userId = await db.UserAsync();
        var sessionId = await db.SessionAsync(userId, product: product, issuesCrawled: issuesCrawled,
            attachmentsDownloaded: 1, query: $"query of {userId}");
        var issuePk = await db.IssueAsync(title: $"Issue crawled by {userId}", product: product);
        var args = new { userId, sessionId, issuePk };
        var sessionIssueId = await db.ScalarAsync<long>(
            "INSERT INTO ims.session_issues (session_id, issue_pk, crawl_order) VALUES (@sessionId, @issuePk, 1) RETURNING session_issue_id", args);
        var errorId = await db.ScalarAsync<long>(
            "INSERT INTO ims.session_errors (session_id, error_type, severity, error_message) VALUES (@sessionId, 'timeout', 'error', 'read timed out') RETURNING error_id", args);
        var attachmentId = await db.ScalarAsync<long>(
            "INSERT INTO ims.attachments (issue_pk, session_id, filename, downloaded) VALUES (@issuePk, @sessionId, 'trace.log', true) RETURNING attachment_id", args);
        var queryId = await db.ScalarAsync<long>(
            "INSERT INTO ims.search_queries (user_id, session_id, original_query, product, results_count) VALUES (@userId, @sessionId, 'batch timeout', 'OpenFrame', 1) RETURNING query_id", args);
        var dailyId = await db.ScalarAsync<long>(
            "INSERT INTO ims.analytics_daily (user_id, stat_date, sessions_count) VALUES (@userId, DATE '2024-05-01', 1) RETURNING stat_id", args);
        var monthlyId = await db.ScalarAsync<long>(
            "INSERT INTO ims.analytics_monthly (user_id, year, month, total_sessions) VALUES (@userId, 2024, 5, 1) RETURNING stat_id", args);
        var auditId = await db.ScalarAsync<long>(
            "INSERT INTO ims.audit_log (user_id, action, resource_type, resource_id) VALUES (@userId, 'session.created', 'crawl_session', @sessionId::text) RETURNING log_id", args);
        return new UserRows(userId, sessionId, issuePk, sessionIssueId, errorId, attachmentId, queryId, dailyId, monthlyId, auditId);
    }

    /// <summary>An attachment no session holds (session_id NULL).</summary>
    public static Task<long> SessionlessAttachmentAsync(this DatabaseFixture db, long issuePk) =>
        db.ScalarAsync<long>(
            "INSERT INTO ims.attachments (issue_pk, session_id, filename) VALUES (@issuePk, NULL, 'orphan.txt') RETURNING attachment_id",
            new { issuePk });

    /// <summary>Asserts that <paramref name="action"/> fails with insufficient_privilege (42501).</summary>
    public static async Task<PostgresException> AssertDeniedAsync(Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(action);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        return error;
    }

    /// <summary>Asserts a write is refused by a row-level security policy's WITH CHECK.</summary>
    public static async Task AssertRejectedByPolicyAsync(Func<Task> action)
    {
        var error = await AssertDeniedAsync(action);
        Assert.Contains("row-level security policy", error.MessageText);
    }
}
