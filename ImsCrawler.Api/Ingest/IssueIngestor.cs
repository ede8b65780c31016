using System.Diagnostics;
using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Ingest;

/// <summary>What one batch did to the tables.</summary>
public record IngestCounts(
    int Inserted,
    int Updated,
    int Unchanged,
    int Linked,
    int CommentsWritten,
    int HistoryWritten,
    int AttachmentsWritten)
{
    /// <summary>Milliseconds per step (stage, resolve, issues, links, comments, history, attachments, search), for diagnosis.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, double> StepMilliseconds { get; init; } = new Dictionary<string, double>();

    /// <summary>The batch's issues whose search document reached PostgreSQL's tsvector limit (sql/14).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<SearchDocumentCut> SearchDocumentsCut { get; init; } = [];
}

/// <summary>An issue (item <paramref name="Ord"/> of the batch) whose search document was cut at part <paramref name="CutFrom"/>.</summary>
public sealed record SearchDocumentCut(int Ord, string IssueId, string CutFrom);

/// <summary>
/// Writes a mapped batch into one session inside the caller's transaction, set-based:
/// binary COPY into temporary staging tables (ON COMMIT DROP), then one INSERT ... ON CONFLICT per
/// table whose rows are first filtered to those that are new or differ, so an unchanged row is
/// never rewritten (no new tuple version, no index entries, no search-document rebuild) and a retry
/// of the same batch is a no-op. crawl_count grows by one only when the (session, issue) link is new.
/// The caller holds the session row locked, so batches of one session never race each other.
/// Staging is <see cref="IngestStaging"/>.
/// </summary>
public static class IssueIngestor
{
    // Nullable issue columns: a NULL from the crawl (the crawler's "" is mapped to NULL) keeps the stored
    // value, and full_data keeps known keys that came back blank: the rules of ims.upsert_issue (sql/15).
    private static readonly string[] KeepColumns =
    [
        "description", "product", "status", "priority", "severity", "issue_type", "reporter", "owner", "manager",
        "registered_date", "modified_date", "project_name", "customer", "found_version", "fixed_version",
    ];

    /// <summary>The value issue column <paramref name="column"/> gets from new row n over stored row o.</summary>
    private static string Effective(string column, string n, string o) => column switch
    {
        "title" => $"coalesce(nullif({n}.title, ''), {o}.title)",
        "closed_date" => $"CASE WHEN ims.is_closed_status(coalesce({n}.status, {o}.status)) " +
                         $"THEN coalesce({n}.modified_date, {o}.closed_date, {o}.modified_date) END",
        "full_data" => $"ims.merge_crawled_record({o}.full_data, {n}.full_data)",
        _ => $"coalesce({n}.{column}, {o}.{column})",
    };

    private static readonly string[] ContentColumns = ["title", .. KeepColumns, "closed_date", "full_data"];

    private static string StoredRow(string o) => "ROW(" + string.Join(", ", ContentColumns.Select(c => $"{o}.{c}")) + ")";

    private static string EffectiveRow(string n, string o) => "ROW(" + string.Join(", ", ContentColumns.Select(c => Effective(c, n, o))) + ")";

    private static readonly string ResolveIssues = $"""
        UPDATE pg_temp.ingest_issue s
        SET issue_pk = o.issue_pk,
            existed = true,
            changed = {StoredRow("o")} IS DISTINCT FROM {EffectiveRow("s", "o")},
            new_link = NOT EXISTS (SELECT 1 FROM ims.session_issues l
                                   WHERE l.session_id = @sessionId AND l.issue_pk = o.issue_pk)
        FROM ims.issues o
        WHERE o.issue_id = s.issue_id
        """;

    // EXCLUDED.crawl_count carries the bump (1 when this session's link is new, else 0).
    private static readonly string UpsertIssues = $"""
        WITH written AS (
            INSERT INTO ims.issues AS o (issue_id, title, {string.Join(", ", KeepColumns)}, closed_date, full_data,
                                         crawl_count, first_crawled_at, last_crawled_at)
            SELECT s.issue_id, coalesce(s.title, ''), {string.Join(", ", KeepColumns.Select(c => "s." + c))},
                   CASE WHEN ims.is_closed_status(s.status) THEN s.modified_date END, s.full_data,
                   CASE WHEN s.new_link THEN 1 ELSE 0 END,
                   least(coalesce(s.crawled_at, now()), now()), least(coalesce(s.crawled_at, now()), now())
            FROM pg_temp.ingest_issue s
            WHERE NOT s.existed OR s.changed OR s.new_link
            ORDER BY s.issue_id
            ON CONFLICT (issue_id) DO UPDATE SET
                {string.Join(",\n            ", ContentColumns.Select(c => $"{c} = {Effective(c, "EXCLUDED", "o")}"))},
                crawl_count = coalesce(o.crawl_count, 0) + EXCLUDED.crawl_count,
                last_crawled_at = CASE WHEN EXCLUDED.crawl_count > 0
                                       THEN greatest(o.last_crawled_at, EXCLUDED.last_crawled_at)
                                       ELSE o.last_crawled_at END
            WHERE EXCLUDED.crawl_count > 0 OR {StoredRow("o")} IS DISTINCT FROM {EffectiveRow("EXCLUDED", "o")}
            RETURNING o.issue_pk, o.issue_id, (o.xmax = 0) AS inserted
        )
        UPDATE pg_temp.ingest_issue s
        SET issue_pk = w.issue_pk, inserted = w.inserted
        FROM written w
        WHERE w.issue_id = s.issue_id
        """;

    private const string LinkIssues = """
        WITH linked AS (
            INSERT INTO ims.session_issues AS l (session_id, issue_pk, crawl_order, crawl_duration_ms)
            SELECT @sessionId, s.issue_pk, s.crawl_order, s.crawl_duration_ms
            FROM pg_temp.ingest_issue s
            WHERE NOT EXISTS (
                SELECT 1 FROM ims.session_issues e
                WHERE e.session_id = @sessionId AND e.issue_pk = s.issue_pk
                  AND (e.crawl_order, e.crawl_duration_ms) IS NOT DISTINCT FROM
                      (coalesce(s.crawl_order, e.crawl_order), coalesce(s.crawl_duration_ms, e.crawl_duration_ms)))
            ORDER BY s.issue_pk
            ON CONFLICT (session_id, issue_pk) DO UPDATE SET
                crawl_order = coalesce(EXCLUDED.crawl_order, l.crawl_order),
                crawl_duration_ms = coalesce(EXCLUDED.crawl_duration_ms, l.crawl_duration_ms)
            WHERE (l.crawl_order, l.crawl_duration_ms) IS DISTINCT FROM
                  (coalesce(EXCLUDED.crawl_order, l.crawl_order), coalesce(EXCLUDED.crawl_duration_ms, l.crawl_duration_ms))
            RETURNING (l.xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::integer FROM linked
        """;

    private const string UpsertComments = """
        WITH written AS (
            INSERT INTO ims.issue_comments AS c (issue_pk, comment_number, author, content, commented_at)
            SELECT s.issue_pk, x.comment_number, x.author, x.content, x.commented_at
            FROM pg_temp.ingest_comment x
            JOIN pg_temp.ingest_issue s ON s.ord = x.ord
            WHERE NOT EXISTS (
                SELECT 1 FROM ims.issue_comments e
                WHERE e.issue_pk = s.issue_pk AND e.comment_number = x.comment_number
                  AND (e.author, e.content, e.commented_at) IS NOT DISTINCT FROM
                      (coalesce(x.author, e.author), coalesce(x.content, e.content), coalesce(x.commented_at, e.commented_at)))
            ORDER BY s.issue_pk, x.comment_number
            ON CONFLICT (issue_pk, comment_number) DO UPDATE SET
                author = coalesce(EXCLUDED.author, c.author),
                content = coalesce(EXCLUDED.content, c.content),
                commented_at = coalesce(EXCLUDED.commented_at, c.commented_at)
            WHERE (c.author, c.content, c.commented_at) IS DISTINCT FROM
                  (coalesce(EXCLUDED.author, c.author), coalesce(EXCLUDED.content, c.content),
                   coalesce(EXCLUDED.commented_at, c.commented_at))
            RETURNING 1
        )
        SELECT count(*)::integer FROM written
        """;

    // History rows have no IMS number: their identity is ux_issue_history_identity (sql/09).
    private const string InsertHistory = """
        WITH written AS (
            INSERT INTO ims.issue_history (issue_pk, changed_by, changed_at, change_type, field_name, old_value, new_value, description)
            SELECT s.issue_pk, x.changed_by, x.changed_at, x.change_type, x.field_name, x.old_value, x.new_value, x.description
            FROM pg_temp.ingest_history x
            JOIN pg_temp.ingest_issue s ON s.ord = x.ord
            WHERE NOT EXISTS (
                SELECT 1 FROM ims.issue_history e
                WHERE e.issue_pk = s.issue_pk
                  AND e.changed_at IS NOT DISTINCT FROM x.changed_at
                  AND e.changed_by IS NOT DISTINCT FROM x.changed_by
                  AND md5(e.description) IS NOT DISTINCT FROM md5(x.description))
            ORDER BY s.issue_pk
            ON CONFLICT (issue_pk, changed_at, changed_by, md5(description)) DO NOTHING
            RETURNING 1
        )
        SELECT count(*)::integer FROM written
        """;

    // Each session holds the attachments it crawled (ux_attachments_issue_session_filename, sql/09):
    // only this session's rows are touched, which RLS lets the caller update.
    private const string UpsertAttachments = """
        WITH written AS (
            INSERT INTO ims.attachments AS a (issue_pk, session_id, filename, file_type, file_size, file_path, downloaded,
                                              extracted_text, text_extracted)
            SELECT s.issue_pk, @sessionId, x.filename, x.file_type, x.file_size, x.file_path, x.downloaded,
                   x.extracted_text, x.text_extracted
            FROM pg_temp.ingest_attachment x
            JOIN pg_temp.ingest_issue s ON s.ord = x.ord
            WHERE NOT EXISTS (
                SELECT 1 FROM ims.attachments e
                WHERE e.issue_pk = s.issue_pk AND e.session_id = @sessionId AND e.filename = x.filename
                  AND (e.file_type, e.file_size, e.file_path, e.downloaded, e.extracted_text, e.text_extracted)
                      IS NOT DISTINCT FROM
                      (coalesce(x.file_type, e.file_type), coalesce(x.file_size, e.file_size), coalesce(x.file_path, e.file_path),
                       x.downloaded OR coalesce(e.downloaded, false), coalesce(x.extracted_text, e.extracted_text),
                       x.text_extracted OR coalesce(e.text_extracted, false)))
            ORDER BY s.issue_pk, x.filename
            ON CONFLICT (issue_pk, session_id, filename) DO UPDATE SET
                file_type = coalesce(EXCLUDED.file_type, a.file_type),
                file_size = coalesce(EXCLUDED.file_size, a.file_size),
                file_path = coalesce(EXCLUDED.file_path, a.file_path),
                downloaded = EXCLUDED.downloaded OR coalesce(a.downloaded, false),
                extracted_text = coalesce(EXCLUDED.extracted_text, a.extracted_text),
                text_extracted = EXCLUDED.text_extracted OR coalesce(a.text_extracted, false)
            WHERE (a.file_type, a.file_size, a.file_path, a.downloaded, a.extracted_text, a.text_extracted)
                  IS DISTINCT FROM
                  (coalesce(EXCLUDED.file_type, a.file_type), coalesce(EXCLUDED.file_size, a.file_size),
                   coalesce(EXCLUDED.file_path, a.file_path), EXCLUDED.downloaded OR coalesce(a.downloaded, false),
                   coalesce(EXCLUDED.extracted_text, a.extracted_text), EXCLUDED.text_extracted OR coalesce(a.text_extracted, false))
            RETURNING 1
        )
        SELECT count(*)::integer FROM written
        """;

    private const string CountIssues = """
        SELECT count(*) FILTER (WHERE inserted)::integer AS Inserted,
               count(*) FILTER (WHERE NOT inserted AND (changed OR NOT existed))::integer AS Updated,
               count(*) FILTER (WHERE existed AND NOT changed)::integer AS Unchanged
        FROM pg_temp.ingest_issue
        """;

    // The documents are rebuilt by a deferred trigger at commit (sql/12); built now, the cut ones can be reported.
    private const string BuildSearchDocuments = "SET CONSTRAINTS ims.trg_issue_search_pending_flush IMMEDIATE";

    private const string CutSearchDocuments = """
        SELECT s.ord AS Ord, s.issue_id AS IssueId, d.cut_from AS CutFrom
        FROM pg_temp.ingest_issue s
        JOIN ims.issue_search_documents d ON d.issue_pk = s.issue_pk
        WHERE d.cut_from IS NOT NULL
        ORDER BY s.ord
        """;

    private sealed record IssueTally(int Inserted, int Updated, int Unchanged);

    /// <summary>Stages the batch and merges it into the tables of session <paramref name="sessionId"/>, which the caller holds locked.</summary>
    public static async Task<IngestCounts> WriteIssuesAsync(this UserSession session, long sessionId, IngestBatch batch)
    {
        var steps = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        void Step(string name)
        {
            steps[name] = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
        }
        // Bulk statements run as long as they take (no command timeout).
        var args = new { sessionId };
        Task Execute(string sql) => session.ExecuteAsync(sql, args, commandTimeout: 0);
        async Task<int> Count(string sql) => await session.ScalarAsync<int>(sql, args, commandTimeout: 0);

        await IngestStaging.StageAsync(session, batch);
        Step("stage");

        await Execute(ResolveIssues);
        Step("resolve");
        await Execute(UpsertIssues);
        Step("issues");
        var linked = await Count(LinkIssues);
        Step("links");
        var comments = batch.Comments.Count == 0 ? 0 : await Count(UpsertComments);
        Step("comments");
        var history = batch.History.Count == 0 ? 0 : await Count(InsertHistory);
        Step("history");
        var attachments = batch.Attachments.Count == 0 ? 0 : await Count(UpsertAttachments);
        Step("attachments");
        await Execute(BuildSearchDocuments);
        var cut = await session.QueryAsync<SearchDocumentCut>(CutSearchDocuments, args, commandTimeout: 0);
        Step("search");
        var tally = await session.QuerySingleAsync<IssueTally>(CountIssues, args, commandTimeout: 0);

        return new IngestCounts(tally.Inserted, tally.Updated, tally.Unchanged, linked, comments, history, attachments)
        {
            StepMilliseconds = steps,
            SearchDocumentsCut = cut,
        };
    }

    /// <summary>The caller's session <paramref name="sessionUuid"/>, locked against concurrent batches; null when RLS shows none.</summary>
    public static Task<IngestTarget?> LockSessionAsync(this UserSession session, string sessionUuid) =>
        session.QuerySingleOrDefaultAsync<IngestTarget>(
            "select session_id, status from ims.crawl_sessions where session_uuid = @sessionUuid for no key update", new { sessionUuid });
}

/// <summary>The session a batch goes into.</summary>
public sealed record IngestTarget(long SessionId, string Status);
