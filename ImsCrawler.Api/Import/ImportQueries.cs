using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Import;

/// <summary>The SQL of the <c>import</c> command around the ingest: who imports, and the session it imports into.</summary>
public static class ImportQueries
{
    private const string FindUserSql =
        "select user_id, role, coalesce(is_active, true) as is_active from ims.users where username = @name";

    private const string StartSql = """
        insert into ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query, status,
                                        started_at, data_path, metadata)
        values (@sessionUuid, @userId, @product, @query, @query, 'running', @startedAt, @dataPath, @metadata::jsonb)
        on conflict (session_uuid) do nothing
        """;

    private const string FinishSql = """
        update ims.crawl_sessions
        set status = @status, completed_at = @completedAt,
            duration_seconds = greatest(0, round(extract(epoch from @completedAt - started_at)))::integer,
            total_issues_found = @found, issues_crawled = @crawled, related_issues = @related,
            attachments_downloaded = @downloaded, failed_issues = @failedIssues,
            avg_issue_time_ms = case when @crawled > 0
                then round(extract(epoch from @completedAt - started_at) * 1000 / @crawled)::integer end
        where session_uuid = @sessionUuid
        """;

    /// <summary>The user named <paramref name="name"/> (run as ims_readonly, which sees every user and changes nothing).</summary>
    public static Task<ImportingUser?> FindImportingUserAsync(this UserSession session, string name) =>
        session.QuerySingleOrDefaultAsync<ImportingUser>(FindUserSql, new { name });

    /// <summary>Starts the session the folder is imported into, as the importing user.</summary>
    public static Task StartImportAsync(this UserSession session, string sessionUuid, string product, string query, DateTime startedAt,
        string dataPath, string metadata) =>
        session.ExecuteAsync(StartSql, new { sessionUuid, userId = session.User.UserId, product, query, startedAt, dataPath, metadata });

    /// <summary>Completes (or fails) the import's session with its counters.</summary>
    public static Task FinishImportAsync(this UserSession session, string sessionUuid, string status, DateTime completedAt,
        ImportCounters counters) =>
        session.ExecuteAsync(FinishSql, new
        {
            sessionUuid, status, completedAt, found = counters.Found, crawled = counters.Crawled, related = counters.Related,
            downloaded = counters.Downloaded, failedIssues = counters.Found - counters.Crawled,
        });
}

/// <summary>Who an import runs as.</summary>
public sealed record ImportingUser(int UserId, string Role, bool IsActive);

/// <summary>What an import's session reports: issues found and crawled, related issues, attachments downloaded.</summary>
public sealed record ImportCounters(int Found, int Crawled, int Related, int Downloaded);
