using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Issues;

/// <summary>
/// Issues are shared by all users: any role reads any issue. What hangs off an issue per user — the
/// sessions that crawled it and the attachment rows those sessions downloaded — stays under row-level
/// security, so a user sees its own sessions (admins and readonly users see all). Everything here only reads.
/// </summary>
public static class IssuesEndpoints
{
    private static readonly Keyset Issues = new("issues");

    public static RouteGroupBuilder MapIssuesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/issues").WithTags("Issues").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", ListIssues).WithName(nameof(ListIssues))
            .WithSummary("List issues with filters, newest first")
            .WithDescription("Filters: product family, status, priority, modified `from`/`to`. Keyset-paged: pass `nextCursor` back as `cursor`; `limit` 1–200, default 50.")
            .ProducesValidationProblem();
        api.MapGet("/{issueId}", GetIssue).WithName(nameof(GetIssue))
            .WithSummary("One issue with its comments, history, attachments and the caller's sessions that crawled it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{issueId}/similar", GetSimilarIssues).WithName(nameof(GetSimilarIssues))
            .WithSummary("Issues like this one: those sharing its most distinctive title and description terms, best first")
            .WithDescription("""
                Terms of the issue's title and description are weighed by how rare they are among all issues (doubled in
                the title); issues sharing the heaviest terms come first, scored by the weights they share (doubled in
                their own title) as a share of the best possible score (`rank`, 0–1). The issue itself is excluded.
                `limit` 1–50, default 10. Same hit shape as search.
                """)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Results<Ok<Page<IssueSummary>>, ValidationProblem>> ListIssues(
        [AsParameters] ListIssuesRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var filter = IssueFilter.Read(errors, request.Product, request.Status, request.Priority, request.From, request.To);
        var page = Issues.Read(errors, request.Limit, request.Cursor, filter.Values);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var rows = await database.ReadAsync(http.User.GetDatabaseUser(), session => session.ListIssuesAsync(filter, page),
            cancellationToken);
        return TypedResults.Ok(page.PageOf(rows, row => new CursorKey(row.IssuePk), row => row.Issue));
    }

    public static async Task<Results<Ok<IssueDetail>, ProblemHttpResult>> GetIssue(
        string issueId, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        if (!IsIssueId(issueId))
            return NotFound(issueId);
        var detail = await database.ReadAsync(http.User.GetDatabaseUser(), session => session.GetIssueDetailAsync(issueId),
            cancellationToken);
        return detail is null ? NotFound(issueId) : TypedResults.Ok(detail);
    }

    public static async Task<Results<Ok<SimilarIssuesPage>, ProblemHttpResult, ValidationProblem>> GetSimilarIssues(
        string issueId, int? limit, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var take = QueryParameters.Limit(errors, limit, 10, 50);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        if (!IsIssueId(issueId))
            return NotFound(issueId);

        var hits = await database.ReadAsync(http.User.GetDatabaseUser(), async session =>
            await session.FindIssuePkAsync(issueId) is { } pk ? await session.SimilarIssuesAsync(pk, take) : null,
            cancellationToken);
        return hits is null
            ? NotFound(issueId)
            : TypedResults.Ok(new SimilarIssuesPage(issueId, hits.Select(hit => hit.ToHit()).ToList()));
    }

    private static bool IsIssueId(string issueId) => issueId.Length <= 50 && QueryParameters.IsPrintable(issueId);

    private static ProblemHttpResult NotFound(string issueId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Issue not found", detail: $"No issue '{issueId}' exists.");
}
