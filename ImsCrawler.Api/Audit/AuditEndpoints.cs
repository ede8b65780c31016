using System.Text.Json;
using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Audit;

public static class AuditEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", ListAuditEntries).WithName(nameof(ListAuditEntries))
            .WithSummary("The audit trail the caller may see (own rows; admins and readonly: all), keyset-paged");
        return api;
    }

    /// <summary>Audit rows, newest first, keyset-paged by log id. RLS decides which: users see their own.</summary>
    public static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAuditEntries(
        [AsParameters] ListAuditRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var limit = request.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"limit must be between 1 and {MaxLimit}."],
            });

        var rows = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
            (await connection.QueryAsync<AuditRow>(new CommandDefinition("""
                select log_id as LogId, user_id as UserId, action as Action, resource_type as ResourceType,
                       resource_id as ResourceId, old_value::text as OldValue, new_value::text as NewValue,
                       host(ip_address) as IpAddress, user_agent as UserAgent, created_at as CreatedAt
                from ims.audit_log
                where (@beforeId::bigint is null or log_id < @beforeId)
                  and (@resourceId::text is null or resource_id = @resourceId)
                order by log_id desc
                limit @limit
                """, new { beforeId = request.BeforeId, resourceId = request.ResourceId, limit },
                transaction, cancellationToken: token))).AsList(), cancellationToken);

        var items = rows.Select(row => row.ToEntry()).ToList();
        return TypedResults.Ok(new AuditPage(items, items.Count == limit ? items[^1].LogId : null));
    }

    private sealed class AuditRow
    {
        public long LogId { get; set; }
        public int? UserId { get; set; }
        public string Action { get; set; } = "";
        public string? ResourceType { get; set; }
        public string? ResourceId { get; set; }
        public string? OldValue { get; set; }
        public string? NewValue { get; set; }
        public string? IpAddress { get; set; }
        public string? UserAgent { get; set; }
        public DateTime? CreatedAt { get; set; }

        public AuditEntry ToEntry() => new(LogId, UserId, Action, ResourceType, ResourceId,
            Json.Parse(OldValue), Json.Parse(NewValue), IpAddress, UserAgent, CreatedAt);
    }
}

/// <param name="BeforeId">Keyset cursor: the <c>nextBeforeId</c> of the previous page.</param>
public sealed record ListAuditRequest(long? BeforeId, int? Limit, string? ResourceId);

public sealed record AuditEntry(long LogId, int? UserId, string Action, string? ResourceType, string? ResourceId,
    JsonElement? OldValue, JsonElement? NewValue, string? IpAddress, string? UserAgent, DateTime? CreatedAt);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? NextBeforeId);
