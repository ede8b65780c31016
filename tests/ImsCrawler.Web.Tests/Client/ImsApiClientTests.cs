using System.Net.Http.Headers;
using Dapper;
using ImsCrawler.Web.Api;
using ImsCrawler.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImsCrawler.Web.Tests.Client;

/// <summary>The Web's typed client against the real Api: every list it reads pages to its end with the Api's cursor.</summary>
[Collection(WebCollection.Name)]
public sealed class ImsApiClientTests(WebStack stack)
{
    [Fact]
    public async Task Users_sessions_and_audit_page_to_their_end_each_row_once()
    {
        var http = new HttpClient { BaseAddress = new Uri(stack.Api.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.Seed.Admin.Key);
        var client = new ImsApiClient(http, NullLogger<ImsApiClient>.Instance);
        var token = CancellationToken.None;

        var users = await AllAsync(cursor => client.ListUsersAsync(cursor, 2, token));
        var sessions = await AllAsync(cursor => client.ListSessionsAsync(new SessionQuery(Cursor: cursor, Limit: 2), token));
        var audit = await AllAsync(cursor => client.ListAuditAsync(null, cursor, 2, token));

        await using var connection = await stack.Database.OpenAsync();
        Assert.Equal(await connection.QueryAsync<int>("select user_id from ims.users order by user_id"), users.Select(u => u.UserId));
        Assert.Equal(await connection.QueryAsync<long>("select session_id from ims.crawl_sessions order by session_id desc"),
            sessions.Select(s => s.SessionId));
        Assert.Equal(await connection.QueryAsync<long>("select log_id from ims.audit_log order by log_id desc"), audit.Select(a => a.LogId));
    }

    private static async Task<List<T>> AllAsync<T>(Func<string?, Task<ApiResult<Page<T>>>> read)
    {
        var all = new List<T>();
        string? cursor = null;
        var pages = 0;
        do
        {
            Assert.True(++pages <= 1000, "The list does not end: the cursor is not taken.");
            var page = await read(cursor);
            Assert.True(page.IsSuccess, page.Problem?.Detail);
            all.AddRange(page.Value!.Items);
            cursor = page.Value.Next;
        } while (cursor is not null);
        return all;
    }
}
