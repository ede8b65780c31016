using System.Globalization;
using ImsCrawler.Api.Audit;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Sessions;

/// <summary>
/// Crawl sessions: start, complete, record errors and search queries; list and read. Every query runs
/// as the caller through <see cref="UserDatabase"/>, so row-level security decides what exists: another
/// user's session is simply not found (404).
/// </summary>
public static class SessionsEndpoints
{
    private static readonly Keyset Sessions = new("sessions");
    private static readonly string[] Statuses = ["running", .. CompleteSessionRequest.FinalStatuses];

    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/sessions").WithTags("Sessions").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", ListSessions).WithName(nameof(ListSessions))
            .WithSummary("List sessions, newest first")
            .WithDescription("A user sees its own sessions; admins and readonly users see all. Filters: product family, status, started `from`/`to`. Keyset-paged: pass `nextCursor` back as `cursor`; `limit` 1–200, default 50.")
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

    public static async Task<Results<Ok<Page<SessionResponse>>, ValidationProblem>> ListSessions(
        [AsParameters] ListSessionsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        var status = QueryParameters.Text(errors, "status", request.Status, 20);
        errors.OneOf("status", status, Statuses);
        var (from, to) = QueryParameters.InstantRange(errors, request.From, request.To);
        var filter = new SessionFilter(product, status, from, to);
        var page = Sessions.Read(errors, request.Limit, request.Cursor, product, status, from, to);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var rows = await database.RunAsync(http.User.GetDatabaseUser(), session => session.ListSessionsAsync(filter, page),
            cancellationToken);
        return TypedResults.Ok(page.PageOf(rows, row => new CursorKey(row.SessionId)));
    }

    public static async Task<Results<Ok<SessionDetailResponse>, NotFound>> GetSession(
        string uuid, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var detail = await database.RunAsync(http.User.GetDatabaseUser(), session => session.GetSessionDetailAsync(uuid),
            cancellationToken);
        return detail is null ? TypedResults.NotFound() : TypedResults.Ok(detail);
    }

    /// <summary>
    /// Starts a session (201). With a <c>sessionUuid</c> the caller already used, returns that session (200)
    /// and changes nothing; a uuid that another user holds is a 409.
    /// </summary>
    public static async Task<Results<Created<SessionResponse>, Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> StartSession(
        StartSessionRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        request.Validate(errors);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var caller = http.User.GetDatabaseUser();
        var uuid = request.SessionUuid ?? Guid.NewGuid().ToString();
        var (row, created) = await database.RunAsync(caller, async session =>
        {
            if (await session.InsertSessionAsync(uuid, request) is not { } inserted)
                return (await session.FindSessionAsync(uuid), false);
            await session.WriteAuditAsync(http, "session.started", "crawl_session", uuid,
                new { inserted.Product, inserted.OriginalQuery, inserted.ParsedQuery, inserted.QueryLanguage, inserted.MaxResults, inserted.CrawlRelated });
            return (inserted, true);
        }, cancellationToken);

        if (row is null || row.UserId != caller.UserId)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: "This sessionUuid is already in use; choose another one.");
        return created ? TypedResults.Created(Location(uuid), row) : TypedResults.Ok(row);
    }

    /// <summary>
    /// Finishes a running session: status, counters, completed_at = now, duration from started_at.
    /// Repeating the same completion is a no-op (200); a different one is a 409.
    /// </summary>
    public static async Task<Results<Ok<SessionResponse>, NotFound, ValidationProblem, ProblemHttpResult>> CompleteSession(
        string uuid, CompleteSessionRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        request.Validate(errors);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var (row, conflict) = await database.RunAsync(http.User.GetDatabaseUser(), async session =>
        {
            var current = await session.FindSessionAsync(uuid, forUpdate: true);
            if (current is null)
                return ((SessionResponse?)null, false);
            if (current.Status != "running")
                return (current, !request.WouldLeaveUnchanged(current));
            var completed = await session.CompleteSessionAsync(current.SessionId, request);
            await session.WriteAuditAsync(http, "session.completed", "crawl_session", uuid,
                new
                {
                    completed.Status, completed.DurationSeconds, completed.TotalIssuesFound, completed.IssuesCrawled,
                    completed.AttachmentsDownloaded, completed.FailedIssues, completed.RelatedIssues,
                }, oldValue: new { status = "running" });
            return (completed, false);
        }, cancellationToken);

        if (row is null)
            return TypedResults.NotFound();
        if (conflict)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"The session is already {row.Status} with other values; a session is completed once.");
        return TypedResults.Ok(row);
    }

    /// <summary>Records a batch (JSON array) of session errors.</summary>
    public static Task<Results<Created<BatchResponse>, NotFound, ValidationProblem>> AddSessionErrors(
        string uuid, SessionErrorRequest[] request, HttpContext http, UserDatabase database, CancellationToken cancellationToken) =>
        RecordBatchAsync(uuid, request, SessionErrorRequest.Validate,
            (session, target) => session.AddSessionErrorsAsync(target.SessionId, request), http, database, cancellationToken);

    /// <summary>Records a batch (JSON array) of the session's search queries, as the caller.</summary>
    public static Task<Results<Created<BatchResponse>, NotFound, ValidationProblem>> AddSearchQueries(
        string uuid, SearchQueryRequest[] request, HttpContext http, UserDatabase database, CancellationToken cancellationToken) =>
        RecordBatchAsync(uuid, request, SearchQueryRequest.Validate,
            (session, target) => session.AddSearchQueriesAsync(target, request), http, database, cancellationToken);

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

        var report = await database.RunAsync(caller, async session =>
        {
            var deleted = await session.DeleteOldSessionsAsync(userId, request.OlderThanDays!.Value);
            await session.WriteAuditAsync(http, "sessions.deleted", "user", userId.ToString(CultureInfo.InvariantCulture), deleted);
            return deleted;
        }, cancellationToken);
        return TypedResults.Ok(report);
    }

    /// <summary>A batch a session records (errors, search queries): all or nothing, 404 when RLS shows no such session.</summary>
    private static async Task<Results<Created<BatchResponse>, NotFound, ValidationProblem>> RecordBatchAsync<T>(string uuid, T[] batch,
        Action<RequestErrors, T[]> validate, Func<UserSession, SessionResponse, Task<IReadOnlyList<long>>> record, HttpContext http,
        UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        validate(errors, batch);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var ids = await database.RunAsync(http.User.GetDatabaseUser(), async session =>
            await session.FindSessionAsync(uuid) is { } target ? await record(session, target) : null, cancellationToken);
        return ids is null ? TypedResults.NotFound() : TypedResults.Created(Location(uuid), new BatchResponse(ids.Count, ids));
    }

    private static string Location(string uuid) => $"/api/sessions/{Uri.EscapeDataString(uuid)}";
}
