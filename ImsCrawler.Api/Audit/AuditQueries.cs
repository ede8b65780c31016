using ImsCrawler.Api.Data;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Audit;

/// <summary>The SQL of the audit trail; row-level security decides which rows: users see their own.</summary>
public static class AuditQueries
{
    private static readonly string ListSql = $"""
        select log_id, user_id, action, resource_type, resource_id, old_value, new_value,
               host(ip_address) as ip_address, user_agent, created_at
        from ims.audit_log
        where {SqlFilter.Before("log_id")}
          and {SqlFilter.Equal("resource_id", "resourceId", "text")}
        order by log_id desc
        limit @take
        """;

    /// <summary>A page of audit rows, newest first.</summary>
    public static Task<IReadOnlyList<AuditEntry>> ListAuditEntriesAsync(this UserSession session, string? resourceId, PageRequest page) =>
        session.QueryAsync<AuditEntry>(ListSql, new { after = page.AfterId, take = page.Take, resourceId });
}
