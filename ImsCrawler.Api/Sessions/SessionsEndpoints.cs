using System.Globalization;
using Dapper;
using ImsCrawler.Api.Audit;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ImsCrawler.Api.Sessions;

/// <summary>
/// Crawl sessions: start, complete, record errors and search queries; list and read. Every query runs
/// as the caller through <see cref="UserDatabase"/>, so row-level security decides what exists: another
/// user's session is simply not found (404).
/// </summary>
public static class SessionsEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxBatch = 1000;
    private static readonly string[] FinalStatuses = ["completed", "failed", "cancelled"];
    private static readonly string[] Severities = ["error", "warning", "info"];

    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/sessions").WithTags("Sessions").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", ListSessions).WithName(nameof(ListSessions))
            .WithSummary("List sessions, newest first")
            .WithDescription("A user sees its own sessions; admins and readonly users see all. Filters: product family, status, started from/to. Keyset-paged: pass `nextBeforeId` back as `beforeId`.")
            .ProducesValidationProblem();
        api.MapGet("/{uuid}", GetSession).WithName(nameof(GetSession))
            .WithSummary("One session with its counts, linked issues in crawl order and errors")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", StartSession).WithName(nameof(StartSession)).RequireAuthorization(ImsPolicies.Writer)
            .WithSummary("Start a crawl session (idempotent by sessionUuid)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{uuid}/complete", CompleteSession).WithName(nameof(CompleteSession)).RequireAuthorization(ImsPolicies.Writer)
            .WithSummary("Complete a running session: final status and counters")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{uuid}/errors", AddSessionErrors).WithName(nameof(AddSessionErrors)).RequireAuthorization(ImsPolicies.Writer)
            .WithSummary("Record a batch of session errors")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{uuid}/queries", AddSearchQueries).WithName(nameof(AddSearchQueries)).RequireAuthorization(ImsPolicies.Writer)
            .WithSummary("Record a batch of the session's search queries")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/", DeleteOldSessions).WithName(nameof(DeleteOldSessions)).RequireAuthorization(ImsPolicies.Writer)
            .WithSummary("Delete sessions older than N days (ims.delete_old_sessions)")
            .WithDescription("Deletes the caller's sessions started more than `olderThanDays` days ago with their links, errors, searches and downloaded attachment rows; issues stay. An admin may pass `userId` to clean up any user's sessions. Returns the function's report.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    public static async Task<Results<Ok<SessionPage>, ValidationProblem>> ListSessions(
        [AsParameters] ListSessionsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var limit = QueryParameters.Limit(errors, request.Limit, DefaultLimit, MaxLimit);
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        var status = QueryParameters.Text(errors, "status", request.Status, 20);
        errors.OneOf("status", status, ["running", .. FinalStatuses]);
        var from = QueryParameters.Instant(errors, "startedFrom", request.StartedFrom);
        var to = QueryParameters.Instant(errors, "startedTo", request.StartedTo);
        QueryParameters.Range(errors, from, to, fromField: "startedFrom", toField: "startedTo");
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var rows = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
            (await connection.QueryAsync<SessionRow>(new CommandDefinition($"""
                select {SessionRow.Columns} from ims.crawl_sessions
                where (@BeforeId::bigint is null or session_id < @BeforeId)
                  and (@product::text is null or ims.product_in_family(product, @product))
                  and (@status::text is null or status = @status)
                  and (@from::timestamptz is null or started_at >= @from)
                  and (@to::timestamptz is null or started_at < @to)
                order by session_id desc
                limit @limit
                """, new { request.BeforeId, limit, product, status, from = from?.UtcDateTime, to = to?.UtcDateTime },
                transaction, cancellationToken: token))).AsList(), cancellationToken);

        var items = rows.Select(row => row.ToResponse()).ToList();
        return TypedResults.Ok(new SessionPage(items, items.Count == limit ? items[^1].SessionId : null));
    }

    /// <summary>The session (ims.v_session_detail), its linked issues in crawl order and its errors, newest first.</summary>
    public static async Task<Results<Ok<SessionDetailResponse>, NotFound>> GetSession(
        string uuid, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var detail = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
        {
            using var grid = await connection.QueryMultipleAsync(new CommandDefinition($"""
                select {SessionRow.Columns}, username as Username, linked_issues as LinkedIssues,
                       issues_with_errors as IssuesWithErrors, error_count as ErrorCount, attachment_count as AttachmentCount
                from ims.v_session_detail where session_uuid = @uuid;

                select i.issue_id as IssueId, i.title as Title, i.product as Product, i.status as Status,
                       si.crawl_order as CrawlOrder, si.crawl_duration_ms as CrawlDurationMs,
                       coalesce(si.had_errors, false) as HadErrors, si.error_message as ErrorMessage
                from ims.session_issues si
                join ims.crawl_sessions cs on cs.session_id = si.session_id
                join ims.issues i on i.issue_pk = si.issue_pk
                where cs.session_uuid = @uuid
                order by si.crawl_order nulls last, si.session_issue_id
                limit {SessionDetailResponse.MaxIssues};

                select e.error_id as ErrorId, e.error_type as ErrorType, e.severity as Severity, e.error_message as Message,
                       e.error_detail::text as Detail, e.occurred_at as OccurredAt
                from ims.session_errors e
                join ims.crawl_sessions cs on cs.session_id = e.session_id
                where cs.session_uuid = @uuid
                order by e.occurred_at desc nulls last, e.error_id desc
                limit {SessionDetailResponse.MaxErrors};
                """, new { uuid }, transaction, cancellationToken: token));
            var session = await grid.ReadSingleOrDefaultAsync<SessionDetailRow>();
            if (session is null)
                return null;
            var issues = (await grid.ReadAsync<SessionIssue>()).AsList();
            var sessionErrors = (await grid.ReadAsync<SessionErrorRow>()).Select(row => row.ToError()).ToList();
            return session.ToDetail(issues, sessionErrors);
        }, cancellationToken);
        return detail is null ? TypedResults.NotFound() : TypedResults.Ok(detail);
    }

    /// <summary>
    /// ims.delete_old_sessions for the caller, or (admins) for <c>userId</c>. It runs as the caller, so RLS
    /// limits a user to its own sessions in the database too. Writes a <c>sessions.deleted</c> audit row.
    /// </summary>
    public static async Task<Results<Ok<DeleteSessionsResponse>, ValidationProblem, ProblemHttpResult>> DeleteOldSessions(
        [AsParameters] DeleteSessionsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (request.OlderThanDays is null)
            errors.Add("olderThanDays", "olderThanDays is required.");
        errors.Range("olderThanDays", request.OlderThanDays, 0, 36_500);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var caller = http.User.GetDatabaseUser();
        var userId = request.UserId ?? caller.UserId;
        if (userId != caller.UserId && caller.Role != DatabaseUser.Admin)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Only administrators may delete another user's sessions; leave userId out to delete your own.");

        var days = request.OlderThanDays!.Value;
        var report = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var result = await connection.QuerySingleAsync<(int Sessions, int Issues, int Attachments)>(new CommandDefinition(
                "select deleted_sessions, deleted_issues, deleted_attachments from ims.delete_old_sessions(@userId, @days)",
                new { userId, days }, transaction, cancellationToken: token));
            var response = new DeleteSessionsResponse(userId, days, result.Sessions, result.Issues, result.Attachments);
            await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "sessions.deleted", "user",
                userId.ToString(CultureInfo.InvariantCulture), response, token);
            return response;
        }, cancellationToken);
        return TypedResults.Ok(report);
    }

    /// <summary>
    /// Starts a session (201). With a <c>sessionUuid</c> the caller already used, returns that session (200)
    /// and changes nothing; a uuid that another user holds is a 409.
    /// </summary>
    public static async Task<Results<Created<SessionResponse>, Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> StartSession(
        StartSessionRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (request.SessionUuid is not null)
        {
            errors.Required("sessionUuid", request.SessionUuid, 100);
            if (request.SessionUuid.Any(char.IsWhiteSpace) || request.SessionUuid.Contains('/'))
                errors.Add("sessionUuid", "sessionUuid must not contain whitespace or '/'.");
        }
        errors.Required("product", request.Product, 100);
        errors.Required("originalQuery", request.OriginalQuery, 10_000);
        errors.MaxLength("parsedQuery", request.ParsedQuery, 10_000);
        errors.MaxLength("queryLanguage", request.QueryLanguage, 10);
        errors.Range("maxResults", request.MaxResults, 1, 100_000);
        errors.JsonObject("metadata", request.Metadata);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var caller = http.User.GetDatabaseUser();
        var uuid = request.SessionUuid ?? Guid.NewGuid().ToString();
        var (row, created) = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var inserted = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition($"""
                insert into ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query,
                    query_language, max_results, crawl_related, metadata)
                values (@uuid, @userId, @Product, @OriginalQuery, coalesce(@ParsedQuery, @OriginalQuery),
                    coalesce(@QueryLanguage, 'en'), coalesce(@MaxResults, 100), coalesce(@CrawlRelated, false),
                    coalesce(@metadata::jsonb, jsonb_build_object()))
                on conflict (session_uuid) do nothing
                returning {SessionRow.Columns}
                """,
                new
                {
                    uuid, userId = caller.UserId, request.Product, request.OriginalQuery, request.ParsedQuery,
                    request.QueryLanguage, request.MaxResults, request.CrawlRelated, metadata = Json.Raw(request.Metadata),
                }, transaction, cancellationToken: token));
            if (inserted is null)
                return (await FindAsync(connection, transaction, uuid, token), false);
            await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "session.started", "crawl_session", uuid,
                new { inserted.Product, inserted.OriginalQuery, inserted.ParsedQuery, inserted.QueryLanguage, inserted.MaxResults, inserted.CrawlRelated },
                token);
            return (inserted, true);
        }, cancellationToken);

        if (row is null || row.UserId != caller.UserId)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: "This sessionUuid is already in use; choose another one.");
        return created
            ? TypedResults.Created($"/api/sessions/{Uri.EscapeDataString(uuid)}", row.ToResponse())
            : TypedResults.Ok(row.ToResponse());
    }

    /// <summary>
    /// Finishes a running session: status, counters, completed_at = now, duration from started_at.
    /// Repeating the same completion is a no-op (200); a different one is a 409.
    /// </summary>
    public static async Task<Results<Ok<SessionResponse>, NotFound, ValidationProblem, ProblemHttpResult>> CompleteSession(
        string uuid, CompleteSessionRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (string.IsNullOrEmpty(request.Status))
            errors.Add("status", "status is required.");
        errors.OneOf("status", request.Status, FinalStatuses);
        foreach (var (field, value) in new (string, int?)[]
        {
            ("totalIssuesFound", request.TotalIssuesFound), ("issuesCrawled", request.IssuesCrawled),
            ("attachmentsDownloaded", request.AttachmentsDownloaded), ("failedIssues", request.FailedIssues),
            ("relatedIssues", request.RelatedIssues), ("searchTimeMs", request.SearchTimeMs),
            ("crawlTimeMs", request.CrawlTimeMs), ("avgIssueTimeMs", request.AvgIssueTimeMs),
            ("parallelWorkers", request.ParallelWorkers),
        })
            errors.Range(field, value, 0, int.MaxValue);
        errors.MaxLength("dataPath", request.DataPath, 4096);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var caller = http.User.GetDatabaseUser();
        var (row, conflict) = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var current = await FindAsync(connection, transaction, uuid, token, forUpdate: true);
            if (current is null)
                return ((SessionRow?)null, false);
            if (current.Status != "running")
                return (current, !current.Matches(request));

            var completed = await connection.QuerySingleAsync<SessionRow>(new CommandDefinition($"""
                update ims.crawl_sessions set
                    status = @Status,
                    completed_at = now(),
                    duration_seconds = greatest(0, round(extract(epoch from now() - started_at)))::integer,
                    total_issues_found = coalesce(@TotalIssuesFound, total_issues_found),
                    issues_crawled = coalesce(@IssuesCrawled, issues_crawled),
                    attachments_downloaded = coalesce(@AttachmentsDownloaded, attachments_downloaded),
                    failed_issues = coalesce(@FailedIssues, failed_issues),
                    related_issues = coalesce(@RelatedIssues, related_issues),
                    search_time_ms = coalesce(@SearchTimeMs, search_time_ms),
                    crawl_time_ms = coalesce(@CrawlTimeMs, crawl_time_ms),
                    avg_issue_time_ms = coalesce(@AvgIssueTimeMs, avg_issue_time_ms),
                    parallel_workers = coalesce(@ParallelWorkers, parallel_workers),
                    data_path = coalesce(@DataPath, data_path)
                where session_id = @sessionId
                returning {SessionRow.Columns}
                """,
                new
                {
                    sessionId = current.SessionId, request.Status, request.TotalIssuesFound, request.IssuesCrawled,
                    request.AttachmentsDownloaded, request.FailedIssues, request.RelatedIssues, request.SearchTimeMs,
                    request.CrawlTimeMs, request.AvgIssueTimeMs, request.ParallelWorkers, request.DataPath,
                }, transaction, cancellationToken: token));
            await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "session.completed", "crawl_session", uuid,
                new
                {
                    completed.Status, completed.DurationSeconds, completed.TotalIssuesFound, completed.IssuesCrawled,
                    completed.AttachmentsDownloaded, completed.FailedIssues, completed.RelatedIssues,
                }, token, oldValue: new { status = "running" });
            return (completed, false);
        }, cancellationToken);

        if (row is null)
            return TypedResults.NotFound();
        if (conflict)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"The session is already {row.Status} with other values; a session is completed once.");
        return TypedResults.Ok(row.ToResponse());
    }

    /// <summary>Records a batch (JSON array) of session errors.</summary>
    public static async Task<Results<Created<BatchResponse>, NotFound, ValidationProblem>> AddSessionErrors(
        string uuid, SessionErrorRequest[] request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        ValidateBatch(errors, request.Length);
        for (var i = 0; i < request.Length; i++)
        {
            var item = request[i];
            if (item is null)
            {
                errors.Add($"[{i}]", "Each error must be an object.");
                continue;
            }
            errors.Required($"[{i}].message", item.Message, 100_000);
            errors.MaxLength($"[{i}].errorType", item.ErrorType, 50);
            errors.OneOf($"[{i}].severity", item.Severity, Severities);
        }
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var ids = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
        {
            var session = await FindAsync(connection, transaction, uuid, token);
            if (session is null)
                return null;
            return (await connection.QueryAsync<long>(new CommandDefinition("""
                insert into ims.session_errors (session_id, error_type, severity, error_message, error_detail, occurred_at)
                select @sessionId, t.error_type, coalesce(t.severity, 'error'), t.message, t.detail::jsonb, coalesce(t.occurred_at, now())
                from unnest(@types::text[], @severities::text[], @messages::text[], @details::text[], @occurred::timestamptz[])
                     with ordinality as t(error_type, severity, message, detail, occurred_at, n)
                order by t.n
                returning error_id
                """,
                new
                {
                    sessionId = session.SessionId,
                    types = request.Select(e => e.ErrorType).ToArray(),
                    severities = request.Select(e => e.Severity).ToArray(),
                    messages = request.Select(e => e.Message).ToArray(),
                    details = request.Select(e => Json.Raw(e.Detail)).ToArray(),
                    occurred = request.Select(e => e.OccurredAt?.UtcDateTime).ToArray(),
                }, transaction, cancellationToken: token))).AsList();
        }, cancellationToken);

        return ids is null
            ? TypedResults.NotFound()
            : TypedResults.Created($"/api/sessions/{Uri.EscapeDataString(uuid)}", new BatchResponse(ids.Count, ids));
    }

    /// <summary>Records a batch (JSON array) of the session's search queries, as the caller.</summary>
    public static async Task<Results<Created<BatchResponse>, NotFound, ValidationProblem>> AddSearchQueries(
        string uuid, SearchQueryRequest[] request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        ValidateBatch(errors, request.Length);
        for (var i = 0; i < request.Length; i++)
        {
            var item = request[i];
            if (item is null)
            {
                errors.Add($"[{i}]", "Each query must be an object.");
                continue;
            }
            errors.Required($"[{i}].originalQuery", item.OriginalQuery, 10_000);
            errors.MaxLength($"[{i}].parsedQuery", item.ParsedQuery, 10_000);
            errors.MaxLength($"[{i}].queryLanguage", item.QueryLanguage, 10);
            errors.MaxLength($"[{i}].product", item.Product, 100);
            errors.MaxLength($"[{i}].parsingMethod", item.ParsingMethod, 50);
            errors.Range($"[{i}].resultsCount", item.ResultsCount, 0, int.MaxValue);
            if (item.ParsingConfidence is < 0m or > 999.99m)
                errors.Add($"[{i}].parsingConfidence", $"[{i}].parsingConfidence must be between 0 and 999.99.");
        }
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var caller = http.User.GetDatabaseUser();
        var ids = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var session = await FindAsync(connection, transaction, uuid, token);
            if (session is null)
                return null;
            return (await connection.QueryAsync<long>(new CommandDefinition("""
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
                """,
                new
                {
                    userId = caller.UserId, sessionId = session.SessionId,
                    sessionLanguage = session.QueryLanguage, sessionProduct = session.Product,
                    originals = request.Select(q => q.OriginalQuery).ToArray(),
                    parsed = request.Select(q => q.ParsedQuery).ToArray(),
                    languages = request.Select(q => q.QueryLanguage).ToArray(),
                    products = request.Select(q => q.Product).ToArray(),
                    results = request.Select(q => q.ResultsCount).ToArray(),
                    methods = request.Select(q => q.ParsingMethod).ToArray(),
                    confidences = request.Select(q => q.ParsingConfidence).ToArray(),
                    synonyms = request.Select(q => q.SynonymExpanded).ToArray(),
                    intents = request.Select(q => q.IntentFiltered).ToArray(),
                    queried = request.Select(q => q.QueriedAt?.UtcDateTime).ToArray(),
                }, transaction, cancellationToken: token))).AsList();
        }, cancellationToken);

        return ids is null
            ? TypedResults.NotFound()
            : TypedResults.Created($"/api/sessions/{Uri.EscapeDataString(uuid)}", new BatchResponse(ids.Count, ids));
    }

    private static void ValidateBatch(RequestErrors errors, int count)
    {
        if (count == 0)
            errors.Add("body", "Send a JSON array with at least one item.");
        else if (count > MaxBatch)
            errors.Add("body", string.Create(CultureInfo.InvariantCulture, $"Send at most {MaxBatch} items per request."));
    }

    private static Task<SessionRow?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string uuid,
        CancellationToken token, bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            $"select {SessionRow.Columns} from ims.crawl_sessions where session_uuid = @uuid{(forUpdate ? " for update" : "")}",
            new { uuid }, transaction, cancellationToken: token));
}
