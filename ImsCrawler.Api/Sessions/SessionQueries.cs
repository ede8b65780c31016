using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Sessions;

/// <summary>
/// The SQL of crawl sessions, run in the caller's <see cref="UserSession"/>: row-level security decides which sessions
/// exist, so another user's session is simply not found.
/// </summary>
public static class SessionQueries
{
    // A session as SessionResponse reads it (column names are its property names).
    private const string Columns = """
        session_id, session_uuid, user_id, product, original_query, parsed_query, query_language, max_results,
        coalesce(crawl_related, false) as crawl_related, coalesce(status, 'running') as status, started_at, completed_at,
        duration_seconds, coalesce(total_issues_found, 0) as total_issues_found, coalesce(issues_crawled, 0) as issues_crawled,
        coalesce(attachments_downloaded, 0) as attachments_downloaded, coalesce(failed_issues, 0) as failed_issues,
        coalesce(related_issues, 0) as related_issues, search_time_ms, crawl_time_ms, avg_issue_time_ms, parallel_workers,
        data_path, coalesce(metadata, '{}'::jsonb) as metadata
        """;

    private static readonly string ListSql = $"""
        select {Columns} from ims.crawl_sessions
        where {SqlFilter.Before("session_id")}
          and {SqlFilter.InFamily("product")}
          and {SqlFilter.Equal("status", "status", "text")}
          and {SqlFilter.Within("started_at")}
        order by session_id desc
        limit @take
        """;

    private static readonly string DetailSql = $"""
        select {Columns} from ims.crawl_sessions where session_uuid = @uuid;

        select username, linked_issues, issues_with_errors, error_count, attachment_count
        from ims.v_session_detail where session_uuid = @uuid;

        select i.issue_id, i.title, i.product, i.status, si.crawl_order, si.crawl_duration_ms,
               coalesce(si.had_errors, false) as had_errors, si.error_message
        from ims.session_issues si
        join ims.crawl_sessions cs on cs.session_id = si.session_id
        join ims.issues i on i.issue_pk = si.issue_pk
        where cs.session_uuid = @uuid
        order by si.crawl_order nulls last, si.session_issue_id
        limit {SessionDetailResponse.MaxIssues};

        select e.error_id, e.error_type, e.severity, e.error_message as message, e.error_detail as detail, e.occurred_at
        from ims.session_errors e
        join ims.crawl_sessions cs on cs.session_id = e.session_id
        where cs.session_uuid = @uuid
        order by e.occurred_at desc nulls last, e.error_id desc
        limit {SessionDetailResponse.MaxErrors};
        """;

    private static readonly string InsertSql = $"""
        insert into ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query,
            query_language, max_results, crawl_related, metadata)
        values (@uuid, @userId, @product, @originalQuery, coalesce(@parsedQuery, @originalQuery),
            coalesce(@queryLanguage, 'en'), coalesce(@maxResults, 100), coalesce(@crawlRelated, false),
            coalesce(@metadata::jsonb, jsonb_build_object()))
        on conflict (session_uuid) do nothing
        returning {Columns}
        """;

    private static readonly string CompleteSql = $"""
        update ims.crawl_sessions set
            status = @status,
            completed_at = now(),
            duration_seconds = greatest(0, round(extract(epoch from now() - started_at)))::integer,
            total_issues_found = coalesce(@totalIssuesFound, total_issues_found),
            issues_crawled = coalesce(@issuesCrawled, issues_crawled),
            attachments_downloaded = coalesce(@attachmentsDownloaded, attachments_downloaded),
            failed_issues = coalesce(@failedIssues, failed_issues),
            related_issues = coalesce(@relatedIssues, related_issues),
            search_time_ms = coalesce(@searchTimeMs, search_time_ms),
            crawl_time_ms = coalesce(@crawlTimeMs, crawl_time_ms),
            avg_issue_time_ms = coalesce(@avgIssueTimeMs, avg_issue_time_ms),
            parallel_workers = coalesce(@parallelWorkers, parallel_workers),
            data_path = coalesce(@dataPath, data_path)
        where session_id = @sessionId
        returning {Columns}
        """;

    private const string AddErrorsSql = """
        insert into ims.session_errors (session_id, error_type, severity, error_message, error_detail, occurred_at)
        select @sessionId, t.error_type, coalesce(t.severity, 'error'), t.message, t.detail::jsonb, coalesce(t.occurred_at, now())
        from unnest(@types::text[], @severities::text[], @messages::text[], @details::text[], @occurred::timestamptz[])
             with ordinality as t(error_type, severity, message, detail, occurred_at, n)
        order by t.n
        returning error_id
        """;

    private const string AddSearchQueriesSql = """
        insert into ims.search_queries (user_id, session_id, original_query, parsed_query, query_language, product,
            results_count, parsing_method, parsing_confidence, synonym_expanded, intent_filtered, queried_at)
        select @userId, @sessionId, t.original, t.parsed, coalesce(t.language, @sessionLanguage),
               coalesce(t.product, @sessionProduct), t.results, t.method, t.confidence,
               coalesce(t.synonym, false), coalesce(t.intent, false), coalesce(t.queried_at, now())
        from unnest(@originals::text[], @parsed::text[], @languages::text[], @products::text[], @results::integer[],
                    @methods::text[], @confidences::numeric[], @synonyms::boolean[], @intents::boolean[],
                    @queried::timestamptz[])
             with ordinality as t(original, parsed, language, product, results, method, confidence, synonym, intent, queried_at, n)
        order by t.n
        returning query_id
        """;

    /// <summary>A page of sessions, newest first.</summary>
    public static Task<IReadOnlyList<SessionResponse>> ListSessionsAsync(this UserSession session, SessionFilter filter, PageRequest page) =>
        session.QueryAsync<SessionResponse>(ListSql, new
        {
            after = page.AfterId, take = page.Take, product = filter.Product, status = filter.Status,
            from = filter.From?.UtcDateTime, to = filter.To?.UtcDateTime,
        });

    public static Task<SessionResponse?> FindSessionAsync(this UserSession session, string uuid, bool forUpdate = false) =>
        session.QuerySingleOrDefaultAsync<SessionResponse>(
            $"select {Columns} from ims.crawl_sessions where session_uuid = @uuid{(forUpdate ? " for update" : "")}", new { uuid });

    /// <summary>The session (ims.v_session_detail), its linked issues in crawl order and its errors, newest first.</summary>
    public static async Task<SessionDetailResponse?> GetSessionDetailAsync(this UserSession session, string uuid)
    {
        using var grid = await session.QueryMultipleAsync(DetailSql, new { uuid });
        var found = await grid.ReadSingleOrDefaultAsync<SessionResponse>();
        var counts = await grid.ReadSingleOrDefaultAsync<SessionCounts>();
        if (found is null || counts is null)
            return null;
        var issues = (await grid.ReadAsync<SessionIssue>()).AsList();
        var errors = (await grid.ReadAsync<SessionError>()).AsList();
        return new SessionDetailResponse(found, counts, issues, errors);
    }

    /// <summary>Starts a session of the caller; null when the uuid is taken (by the caller or by someone else).</summary>
    public static Task<SessionResponse?> InsertSessionAsync(this UserSession session, string uuid, StartSessionRequest request) =>
        session.QuerySingleOrDefaultAsync<SessionResponse>(InsertSql, new
        {
            uuid, userId = session.User.UserId, product = request.Product, originalQuery = request.OriginalQuery,
            parsedQuery = request.ParsedQuery, queryLanguage = request.QueryLanguage, maxResults = request.MaxResults,
            crawlRelated = request.CrawlRelated, metadata = request.Metadata,
        });

    /// <summary>Finishes a session: status, counters (absent ones stay), completed now, duration from its start.</summary>
    public static Task<SessionResponse> CompleteSessionAsync(this UserSession session, long sessionId, CompleteSessionRequest request) =>
        session.QuerySingleAsync<SessionResponse>(CompleteSql, new
        {
            sessionId, status = request.Status, totalIssuesFound = request.TotalIssuesFound, issuesCrawled = request.IssuesCrawled,
            attachmentsDownloaded = request.AttachmentsDownloaded, failedIssues = request.FailedIssues,
            relatedIssues = request.RelatedIssues, searchTimeMs = request.SearchTimeMs, crawlTimeMs = request.CrawlTimeMs,
            avgIssueTimeMs = request.AvgIssueTimeMs, parallelWorkers = request.ParallelWorkers, dataPath = request.DataPath,
        });

    /// <summary>Records the errors in order; their ids.</summary>
    public static Task<IReadOnlyList<long>> AddSessionErrorsAsync(this UserSession session, long sessionId,
        IReadOnlyList<SessionErrorRequest> errors) =>
        session.QueryAsync<long>(AddErrorsSql, new
        {
            sessionId,
            types = errors.Select(e => e.ErrorType).ToArray(),
            severities = errors.Select(e => e.Severity).ToArray(),
            messages = errors.Select(e => e.Message).ToArray(),
            details = errors.Select(e => DapperConventions.JsonText(e.Detail)).ToArray(),
            occurred = errors.Select(e => e.OccurredAt?.UtcDateTime).ToArray(),
        });

    /// <summary>Records the session's search queries in order, as the caller; their ids.</summary>
    public static Task<IReadOnlyList<long>> AddSearchQueriesAsync(this UserSession session, SessionResponse target,
        IReadOnlyList<SearchQueryRequest> queries) =>
        session.QueryAsync<long>(AddSearchQueriesSql, new
        {
            userId = session.User.UserId, sessionId = target.SessionId,
            sessionLanguage = target.QueryLanguage, sessionProduct = target.Product,
            originals = queries.Select(q => q.OriginalQuery).ToArray(),
            parsed = queries.Select(q => q.ParsedQuery).ToArray(),
            languages = queries.Select(q => q.QueryLanguage).ToArray(),
            products = queries.Select(q => q.Product).ToArray(),
            results = queries.Select(q => q.ResultsCount).ToArray(),
            methods = queries.Select(q => q.ParsingMethod).ToArray(),
            confidences = queries.Select(q => q.ParsingConfidence).ToArray(),
            synonyms = queries.Select(q => q.SynonymExpanded).ToArray(),
            intents = queries.Select(q => q.IntentFiltered).ToArray(),
            queried = queries.Select(q => q.QueriedAt?.UtcDateTime).ToArray(),
        });

    /// <summary>ims.delete_old_sessions: the user's sessions started more than <paramref name="days"/> days ago.</summary>
    public static async Task<DeleteSessionsResponse> DeleteOldSessionsAsync(this UserSession session, int userId, int days)
    {
        var (sessions, issues, attachments) = await session.QuerySingleAsync<(int, int, int)>(
            "select deleted_sessions, deleted_issues, deleted_attachments from ims.delete_old_sessions(@userId, @days)",
            new { userId, days });
        return new DeleteSessionsResponse(userId, days, sessions, issues, attachments);
    }
}
