using System.ComponentModel;
using System.Text.Json;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Audit;

public sealed record ListAuditRequest(
    [property: Description(Keyset.CursorDescription)] string? Cursor,
    [property: Description("Rows per page, 1–500, default 50.")] int? Limit,
    [property: Description("Only the rows about this resource (a session uuid, a user id, ...).")] string? ResourceId);

public sealed record AuditEntry(long LogId, int? UserId, string Action, string? ResourceType, string? ResourceId,
    JsonElement? OldValue, JsonElement? NewValue, string? IpAddress, string? UserAgent, DateTime? CreatedAt);
