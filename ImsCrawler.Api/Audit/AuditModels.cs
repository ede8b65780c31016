using System.Text.Json;

namespace ImsCrawler.Api.Audit;

/// <param name="Cursor">The <c>nextCursor</c> of the previous page (newest first).</param>
/// <param name="Limit">1–500, default 50.</param>
/// <param name="ResourceId">Only the rows about this resource (a session uuid, a user id, ...).</param>
public sealed record ListAuditRequest(string? Cursor, int? Limit, string? ResourceId);

public sealed record AuditEntry(long LogId, int? UserId, string Action, string? ResourceType, string? ResourceId,
    JsonElement? OldValue, JsonElement? NewValue, string? IpAddress, string? UserAgent, DateTime? CreatedAt);
