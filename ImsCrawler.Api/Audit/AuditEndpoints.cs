using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Audit;

public static class AuditEndpoints
{
    private static readonly Keyset Audit = new("audit", maxLimit: 500);

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", ListAuditEntries).WithName(nameof(ListAuditEntries))
            .WithSummary("The audit trail the caller may see (own rows; admins and readonly: all), newest first")
            .WithDescription("Filter: `resourceId`. Keyset-paged: pass `nextCursor` back as `cursor`; `limit` 1–500, default 50.")
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Results<Ok<Page<AuditEntry>>, ValidationProblem>> ListAuditEntries(
        [AsParameters] ListAuditRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var page = Audit.Read(errors, request.Limit, request.Cursor, request.ResourceId);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var rows = await database.RunAsync(http.User.GetDatabaseUser(),
            session => session.ListAuditEntriesAsync(request.ResourceId, page), cancellationToken);
        return TypedResults.Ok(page.PageOf(rows, entry => new CursorKey(entry.LogId)));
    }
}
