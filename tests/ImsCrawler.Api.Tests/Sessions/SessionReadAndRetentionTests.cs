using System.Net;
using Dapper;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Sessions;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Tests.Search;

namespace ImsCrawler.Api.Tests.Sessions;

/// <summary>Session list filters, the detail view with linked issues and errors, and DELETE /api/sessions (retention).</summary>
public sealed class SessionReadAndRetentionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<SessionResponse> StartAsync(HttpClient client, string product = "OpenFrame") =>
        await (await client.PostJsonAsync("/api/sessions", new { product, originalQuery = "배치 타임아웃" }))
            .ReadAsync<SessionResponse>(HttpStatusCode.Created);

    private Task AgeAsync(SessionResponse session, int days) =>
        api.ScalarAsync<int>("update ims.crawl_sessions set started_at = now() - make_interval(days => @days) where session_id = @SessionId",
            new { days, session.SessionId });

    [Fact]
    public async Task List_filters_by_product_family_status_and_start_range()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        var batch = await StartAsync(client, "OpenFrame Batch");
        var tibero = await StartAsync(client, "Tibero");
        var old = await StartAsync(client, "OpenFrame");
        await AgeAsync(old, 10);
        await client.PostJsonAsync($"/api/sessions/{tibero.SessionUuid}/complete", new { status = "failed" });

        async Task<string[]> Uuids(string query) =>
            (await (await client.GetAsync("/api/sessions" + query)).ReadAsync<Page<SessionResponse>>()).Items.Select(s => s.SessionUuid).ToArray();
        Assert.Equal([old.SessionUuid, batch.SessionUuid], await Uuids("?product=OpenFrame"));
        Assert.Equal([tibero.SessionUuid], await Uuids("?status=failed"));
        var from = DateTime.UtcNow.AddDays(-1).ToString("O");
        Assert.Equal([tibero.SessionUuid, batch.SessionUuid], await Uuids($"?from={Uri.EscapeDataString(from)}"));
        Assert.Equal([old.SessionUuid], await Uuids($"?to={Uri.EscapeDataString(from)}"));

        await (await client.GetAsync("/api/sessions?status=done")).AssertValidationProblemAsync("status");
        await (await client.GetAsync("/api/sessions?from=2024-02-01&to=2024-01-01")).AssertValidationProblemAsync("from");
        await (await client.GetAsync("/api/sessions?from=soon")).AssertValidationProblemAsync("from");
    }

    [Fact]
    public async Task Detail_shows_counts_issues_in_crawl_order_and_errors()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        var session = await StartAsync(client);
        var first = await SearchData.IssueAsync(api, "first issue");
        var second = await SearchData.IssueAsync(api, "second issue");
        var related = await SearchData.IssueAsync(api, "related issue");
        await using (var connection = await api.Database.OpenAsync())
            await connection.ExecuteAsync("""
                insert into ims.session_issues (session_id, issue_pk, crawl_order, had_errors, error_message)
                values (@SessionId, @second, 2, true, 'timeout'), (@SessionId, @related, null, false, null), (@SessionId, @first, 1, false, null)
                """, new { session.SessionId, first, second, related });
        await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/errors",
            new[] { new { message = "IMS slow", severity = "warning", detail = new { issue = 2 } } });

        var detail = await (await client.GetAsync($"/api/sessions/{session.SessionUuid}")).ReadAsync<SessionDetailResponse>();
        Assert.Equal(user.Username, detail.Username);
        Assert.Equal(3, detail.LinkedIssues);
        Assert.Equal(1, detail.IssuesWithErrors);
        Assert.Equal(1, detail.ErrorCount);
        Assert.Equal(["first issue", "second issue", "related issue"], detail.Issues.Select(i => i.Title));
        Assert.Equal("timeout", detail.Issues[1].ErrorMessage);
        var error = Assert.Single(detail.Errors);
        Assert.Equal("IMS slow", error.Message);
        Assert.Equal(2, error.Detail!.Value.GetProperty("issue").GetInt32());

        using var other = api.CreateClient(await api.CreateUserAsync());
        await (await other.GetAsync($"/api/sessions/{session.SessionUuid}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_removes_the_callers_old_sessions_and_reports_what_went()
    {
        var user = await api.CreateUserAsync();
        var other = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        using var otherClient = api.CreateClient(other);
        var old = await StartAsync(client);
        var recent = await StartAsync(client);
        var othersOld = await StartAsync(otherClient);
        await AgeAsync(old, 100);
        await AgeAsync(othersOld, 100);
        var issue = await SearchData.IssueAsync(api, "kept issue");
        await api.ScalarAsync<int>("""
            insert into ims.attachments (issue_pk, session_id, filename) values (@issue, @SessionId, 'a.log');
            insert into ims.session_issues (session_id, issue_pk, crawl_order) values (@SessionId, @issue, 1)
            """, new { issue, old.SessionId });

        var report = await (await client.DeleteAsync("/api/sessions?olderThanDays=30")).ReadAsync<DeleteSessionsResponse>();
        Assert.Equal(new DeleteSessionsResponse(user.UserId, 30, 1, 0, 1), report);
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.crawl_sessions where session_id = @SessionId", new { old.SessionId }));
        Assert.Equal(1, await api.ScalarAsync<long>("select count(*) from ims.crawl_sessions where session_id = @SessionId", new { recent.SessionId }));
        Assert.Equal(1, await api.ScalarAsync<long>("select count(*) from ims.crawl_sessions where session_id = @SessionId", new { othersOld.SessionId }));
        Assert.Equal(1, await api.ScalarAsync<long>("select count(*) from ims.issues where issue_pk = @issue", new { issue }));
        Assert.Equal(1, await api.ScalarAsync<long>("select count(*) from ims.audit_log where action = 'sessions.deleted' and user_id = @UserId", new { user.UserId }));

        // Another user's sessions: only an admin may.
        await (await client.DeleteAsync($"/api/sessions?olderThanDays=30&userId={other.UserId}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var admin = api.CreateClient(await api.CreateUserAsync("admin"));
        var adminReport = await (await admin.DeleteAsync($"/api/sessions?olderThanDays=30&userId={other.UserId}")).ReadAsync<DeleteSessionsResponse>();
        Assert.Equal(1, adminReport.DeletedSessions);
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.crawl_sessions where session_id = @SessionId", new { othersOld.SessionId }));
    }

    [Fact]
    public async Task Delete_needs_olderThanDays_a_writer_and_a_key()
    {
        using var client = api.CreateClient(await api.CreateUserAsync());
        await (await client.DeleteAsync("/api/sessions")).AssertValidationProblemAsync("olderThanDays");
        await (await client.DeleteAsync("/api/sessions?olderThanDays=-1")).AssertValidationProblemAsync("olderThanDays");
        using var readonlyClient = api.CreateClient(await api.CreateUserAsync("readonly"));
        await (await readonlyClient.DeleteAsync("/api/sessions?olderThanDays=30")).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var anonymous = api.CreateClient();
        await (await anonymous.DeleteAsync("/api/sessions?olderThanDays=30")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
