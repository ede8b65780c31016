using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Issues;

/// <summary>
/// The SQL that reads issues. Issues are shared by all users; what hangs off an issue per user (the sessions that
/// crawled it, the attachment rows those sessions downloaded) stays under row-level security.
/// </summary>
public static class IssueQueries
{
    // The keyset column first: Dapper splits each row into (issue_pk, IssueSummary) at issue_id.
    private static readonly string ListSql = $"""
        select i.issue_pk, i.issue_id, i.title, i.product, i.status, i.priority, i.severity, i.issue_type,
               i.registered_date, i.modified_date, i.closed_date, i.last_crawled_at, coalesce(i.crawl_count, 1) as crawl_count
        from ims.issues i
        where {SqlFilter.Before("i.issue_pk")}
          and {SqlFilter.InFamily("i.product")}
          and {SqlFilter.EqualIgnoringCase("i.status", "status")}
          and {SqlFilter.EqualIgnoringCase("i.priority", "priority")}
          and {SqlFilter.Within("i.modified_date")}
        order by i.issue_pk desc
        limit @take
        """;

    private const string DetailSql = """
        select issue_id, title, description, product, status, priority, severity, issue_type, reporter, owner, manager,
               registered_date, modified_date, closed_date, project_code, project_name, site, customer, found_version,
               fixed_version, target_version, first_crawled_at, last_crawled_at, coalesce(crawl_count, 1) as crawl_count, full_data
        from ims.issues where issue_id = @issueId;

        select c.comment_id, c.comment_number, c.author, c.content, c.commented_at
        from ims.issue_comments c join ims.issues i on i.issue_pk = c.issue_pk
        where i.issue_id = @issueId
        order by c.comment_number nulls last, c.comment_id;

        select h.history_id, h.changed_by, h.changed_at, h.change_type, h.field_name, h.old_value, h.new_value, h.description
        from ims.issue_history h join ims.issues i on i.issue_pk = h.issue_pk
        where i.issue_id = @issueId
        order by h.changed_at nulls last, h.history_id;

        select a.attachment_id, a.filename, a.file_type, a.file_size, a.download_url, coalesce(a.downloaded, false) as downloaded,
               a.download_error, coalesce(a.text_extracted, false) as text_extracted, a.extracted_text,
               cs.session_uuid, a.created_at
        from ims.attachments a
        join ims.issues i on i.issue_pk = a.issue_pk
        left join ims.crawl_sessions cs on cs.session_id = a.session_id
        where i.issue_id = @issueId
        order by a.attachment_id;

        select cs.session_uuid, cs.user_id, cs.product, cs.original_query, coalesce(cs.status, 'running') as status,
               cs.started_at, si.crawl_order, coalesce(si.had_errors, false) as had_errors, si.error_message
        from ims.session_issues si
        join ims.issues i on i.issue_pk = si.issue_pk
        join ims.crawl_sessions cs on cs.session_id = si.session_id
        where i.issue_id = @issueId
        order by cs.started_at desc, cs.session_id desc
        limit 500;
        """;

    /// <summary>A page of issues, newest first by their internal key (<c>issue_pk</c>, which the cursor carries).</summary>
    public static Task<IReadOnlyList<(long IssuePk, IssueSummary Issue)>> ListIssuesAsync(this UserSession session,
        IssueFilter filter, PageRequest page) =>
        session.QueryAsync<long, IssueSummary, (long, IssueSummary)>(ListSql, (pk, issue) => (pk, issue), splitOn: "issue_id", new
        {
            after = page.AfterId, take = page.Take, product = filter.Product, status = filter.Status, priority = filter.Priority,
            from = filter.From?.UtcDateTime, to = filter.To?.UtcDateTime,
        });

    /// <summary>The issue with its comments (by number), history (by time), attachments and sessions (newest first).</summary>
    public static async Task<IssueDetail?> GetIssueDetailAsync(this UserSession session, string issueId)
    {
        using var grid = await session.QueryMultipleAsync(DetailSql, new { issueId });
        var issue = await grid.ReadSingleOrDefaultAsync<Issue>();
        if (issue is null)
            return null;
        return new IssueDetail(issue,
            (await grid.ReadAsync<IssueComment>()).AsList(),
            (await grid.ReadAsync<IssueHistoryEntry>()).AsList(),
            (await grid.ReadAsync<IssueAttachment>()).AsList(),
            (await grid.ReadAsync<IssueSession>()).AsList());
    }

    /// <summary>The internal key of an issue, or null when there is none with that id.</summary>
    public static Task<long?> FindIssuePkAsync(this UserSession session, string issueId) =>
        session.ScalarAsync<long?>("select issue_pk from ims.issues where issue_id = @issueId", new { issueId });
}
