using System.Net;
using Dapper;
using ImsCrawler.Api.Issues;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Sessions;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Tests.Search;

namespace ImsCrawler.Api.Tests.Issues;

public sealed class IssuesApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<string> SessionAsync(HttpClient client) =>
        (await (await client.PostJsonAsync("/api/sessions", new { product = "OpenFrame", originalQuery = "q" }))
            .ReadAsync<SessionResponse>(HttpStatusCode.Created)).SessionUuid;

    private async Task LinkAsync(string sessionUuid, long issuePk, int order, string? attachment = null)
    {
        await using var connection = await api.Database.OpenAsync();
        await connection.ExecuteAsync("""
            insert into ims.session_issues (session_id, issue_pk, crawl_order)
            select session_id, @issuePk, @order from ims.crawl_sessions where session_uuid = @sessionUuid;
            insert into ims.attachments (issue_pk, session_id, filename, extracted_text, text_extracted, downloaded)
            select @issuePk, session_id, @attachment, 'text of ' || @attachment, true, true
            from ims.crawl_sessions where session_uuid = @sessionUuid and @attachment::text is not null;
            """, new { sessionUuid, issuePk, order, attachment });
    }

    [Fact]
    public async Task Detail_has_comments_history_attachments_and_only_the_callers_sessions()
    {
        var pk = await SearchData.IssueAsync(api, "Batch abend", "S0C7 in step 2", comments: ["first", "second"], attachmentText: "shared dump");
        var issueId = await SearchData.IssueIdAsync(api, pk);
        await api.ScalarAsync<int>("""
            insert into ims.issue_history (issue_pk, changed_by, changed_at, change_type, field_name, old_value, new_value, description)
            values (@pk, 'kim', now() - interval '1 day', 'status', 'status', 'Open', 'Assigned', 'assigned'),
                   (@pk, 'lee', now(), 'status', 'status', 'Assigned', 'Closed', 'closed')
            """, new { pk });
        var alice = await api.CreateUserAsync();
        var bob = await api.CreateUserAsync();
        using var aliceClient = api.CreateClient(alice);
        using var bobClient = api.CreateClient(bob);
        var aliceSession = await SessionAsync(aliceClient);
        await LinkAsync(aliceSession, pk, 1, "alice.log");
        await LinkAsync(await SessionAsync(bobClient), pk, 3, "bob.log");

        var detail = await (await aliceClient.GetAsync($"/api/issues/{issueId}")).ReadAsync<IssueDetail>();
        Assert.Equal("Batch abend", detail.Title);
        Assert.Equal(["first", "second"], detail.Comments.Select(c => c.Content));
        Assert.Equal(["assigned", "closed"], detail.History.Select(h => h.Description));
        Assert.Equal(["log.txt", "alice.log"], detail.Attachments.Select(a => a.Filename));
        Assert.Equal("text of alice.log", detail.Attachments[1].ExtractedText);
        Assert.Equal(aliceSession, Assert.Single(detail.Sessions).SessionUuid);

        using var readonlyClient = api.CreateClient(await api.CreateUserAsync("readonly"));
        var all = await (await readonlyClient.GetAsync($"/api/issues/{issueId}")).ReadAsync<IssueDetail>();
        Assert.Equal(2, all.Sessions.Count);
        Assert.Equal(3, all.Attachments.Count);
    }

    [Fact]
    public async Task Unknown_issue_is_a_404_problem_and_no_key_is_401()
    {
        using var client = api.CreateClient(await api.CreateUserAsync());
        await (await client.GetAsync("/api/issues/does-not-exist")).AssertProblemAsync(HttpStatusCode.NotFound);
        using var anonymous = api.CreateClient();
        await (await anonymous.GetAsync("/api/issues")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("/api/issues/x")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task List_filters_by_family_status_priority_and_dates_and_pages_every_issue_once()
    {
        var product = "Fam" + Guid.NewGuid().ToString("N")[..8];
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
            expected.Add(await SearchData.IssueIdAsync(api, await SearchData.IssueAsync(api, $"issue {i}", product: $"{product} Batch",
                status: i % 2 == 0 ? "Open" : "Closed", priority: i < 3 ? "High" : "Low",
                modified: new DateTime(2024, 1, 1 + i, 0, 0, 0, DateTimeKind.Utc))));
        await SearchData.IssueAsync(api, "other family", product: $"{product}X");
        using var client = api.CreateClient(await api.CreateUserAsync("readonly"));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/issues?product={product}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}")))
                .ReadAsync<Page<IssueSummary>>();
            seen.AddRange(page.Items.Select(item => item.IssueId));
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(expected.AsEnumerable().Reverse(), seen);

        var closedLow = await (await client.GetAsync($"/api/issues?product={product}&status=closed&priority=low")).ReadAsync<Page<IssueSummary>>();
        Assert.Equal([expected[5], expected[3]], closedLow.Items.Select(item => item.IssueId));
        var dated = await (await client.GetAsync($"/api/issues?product={product}&from=2024-01-02&to=2024-01-04")).ReadAsync<Page<IssueSummary>>();
        Assert.Equal([expected[2], expected[1]], dated.Items.Select(item => item.IssueId));

        await (await client.GetAsync("/api/issues?limit=0")).AssertValidationProblemAsync("limit");
        await (await client.GetAsync("/api/issues?from=2024-02-01&to=2024-01-01")).AssertValidationProblemAsync("from");
        await (await client.GetAsync("/api/issues?cursor=abc")).AssertValidationProblemAsync("cursor");
    }
}
