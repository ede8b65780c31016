using Dapper;
using ImsCrawler.Api.Tests.Infrastructure;

namespace ImsCrawler.Api.Tests.Search;

/// <summary>Issues written straight into the tables as the owner; the triggers build their search documents.</summary>
public static class SearchData
{
    /// <summary>A token no other test uses: a Latin code word that the english parser keeps whole.</summary>
    public static string Code() => "zq7" + Guid.NewGuid().ToString("N")[..9];

    public static async Task<long> IssueAsync(ApiFactory api, string title, string? description = null, string product = "OpenFrame",
        string status = "Open", string priority = "High", string[]? comments = null, string? attachmentText = null,
        DateTime? modified = null, string? issueId = null)
    {
        await using var connection = await api.Database.OpenAsync();
        var pk = await connection.ExecuteScalarAsync<long>("""
            insert into ims.issues (issue_id, title, description, product, status, priority, modified_date, registered_date)
            values (@issueId, @title, @description, @product, @status, @priority, @modified, @modified)
            returning issue_pk
            """, new { issueId = issueId ?? "T" + Guid.NewGuid().ToString("N")[..12], title, description, product, status, priority,
                       modified = modified ?? DateTime.UtcNow });
        if (comments is { Length: > 0 })
            await connection.ExecuteAsync("""
                insert into ims.issue_comments (issue_pk, comment_number, author, content, commented_at)
                select @pk, n, 'engineer', c, now() from unnest(@comments) with ordinality as t(c, n)
                """, new { pk, comments });
        if (attachmentText is not null)
            await connection.ExecuteAsync("""
                insert into ims.attachments (issue_pk, filename, extracted_text, text_extracted, downloaded)
                values (@pk, 'log.txt', @attachmentText, true, true)
                """, new { pk, attachmentText });
        return pk;
    }

    public static Task<string> IssueIdAsync(ApiFactory api, long pk) =>
        api.ScalarAsync<string>("select issue_id from ims.issues where issue_pk = @pk", new { pk });
}
