using System.Text.Json;
using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Audit;

/// <summary>
/// Appends to ims.audit_log inside the caller's unit of work, as the caller (RLS lets a user insert only rows of its
/// own), with the request's client address and user agent.
/// </summary>
public static class AuditLog
{
    private const string InsertSql = """
        insert into ims.audit_log (user_id, action, resource_type, resource_id, old_value, new_value, ip_address, user_agent)
        values (@userId, @action, @resourceType, @resourceId, @oldValue::jsonb, @newValue::jsonb, @ip::inet, @userAgent)
        """;

    public static Task WriteAuditAsync(this UserSession session, HttpContext http, string action, string resourceType,
        string resourceId, object? newValue, object? oldValue = null)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
            address = address.MapToIPv4();
        return session.ExecuteAsync(InsertSql, new
        {
            userId = session.User.UserId, action, resourceType, resourceId,
            oldValue = ToJson(oldValue), newValue = ToJson(newValue),
            ip = address?.ToString(),
            userAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
        });
    }

    private static string? ToJson(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
