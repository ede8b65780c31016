using System.Net;
using ImsCrawler.Api.Audit;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Sessions;
using ImsCrawler.Api.Tests.Infrastructure;

namespace ImsCrawler.Api.Tests.Sessions;

public sealed class SessionsApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static object NewSession(string? uuid = null) => new
    {
        sessionUuid = uuid,
        product = "OpenFrame",
        originalQuery = "배치 작업 타임아웃",
        parsedQuery = "batch job timeout",
        queryLanguage = "ko",
        maxResults = 50,
        crawlRelated = true,
        metadata = new { crawlerVersion = "2.1" },
    };

    private static async Task<SessionResponse> StartAsync(HttpClient client, string? uuid = null) =>
        await (await client.PostJsonAsync("/api/sessions", NewSession(uuid))).ReadAsync<SessionResponse>(HttpStatusCode.Created);

    [Fact]
    public async Task Start_creates_a_running_session_and_an_audit_row_in_the_same_transaction()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        client.DefaultRequestHeaders.UserAgent.ParseAdd("ims-crawler/2.1");
        var session = await StartAsync(client);

        Assert.Equal(user.UserId, session.UserId);
        Assert.Equal("running", session.Status);
        Assert.True(Guid.TryParse(session.SessionUuid, out _));
        Assert.Equal("2.1", session.Metadata.GetProperty("crawlerVersion").GetString());

        var audit = await api.QueryAsync<(int UserId, string Action, string ResourceType, string UserAgent)>(
            "select user_id, action, resource_type, user_agent from ims.audit_log where resource_id = @SessionUuid", new { session.SessionUuid });
        Assert.Equal([(user.UserId, "session.started", "crawl_session", "ims-crawler/2.1")], audit);
    }

    [Fact]
    public async Task Start_with_the_same_uuid_returns_the_existing_session()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        var uuid = TestUsers.Unique("retry");
        var first = await StartAsync(client, uuid);
        var again = await (await client.PostJsonAsync("/api/sessions", NewSession(uuid))).ReadAsync<SessionResponse>(HttpStatusCode.OK);
        Assert.Equal(first.SessionId, again.SessionId);
        Assert.Equal(1, await api.ScalarAsync<long>("select count(*) from ims.crawl_sessions where session_uuid = @uuid", new { uuid }));
        Assert.Equal(1, await api.ScalarAsync<long>("select count(*) from ims.audit_log where resource_id = @uuid", new { uuid }));

        // Someone else cannot take or read it: 409, and the session stays the first user's.
        using var other = api.CreateClient(await api.CreateUserAsync());
        await (await other.PostJsonAsync("/api/sessions", NewSession(uuid))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(user.UserId, await api.ScalarAsync<int>("select user_id from ims.crawl_sessions where session_uuid = @uuid", new { uuid }));
    }

    [Fact]
    public async Task Complete_computes_the_duration_and_is_idempotent_for_the_same_payload()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        var session = await StartAsync(client);
        await api.ScalarAsync<int>("update ims.crawl_sessions set started_at = now() - interval '90 seconds' where session_id = @SessionId", new { session.SessionId });

        var payload = new
        {
            status = "completed", totalIssuesFound = 12, issuesCrawled = 10, attachmentsDownloaded = 4, failedIssues = 2,
            relatedIssues = 3, searchTimeMs = 1200, crawlTimeMs = 88000, avgIssueTimeMs = 8800, parallelWorkers = 4,
            dataPath = "data/users/x/sessions/1",
        };
        var completed = await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/complete", payload)).ReadAsync<SessionResponse>();
        Assert.Equal("completed", completed.Status);
        Assert.InRange(completed.DurationSeconds!.Value, 89, 100);
        Assert.NotNull(completed.CompletedAt);
        Assert.Equal(10, completed.IssuesCrawled);
        Assert.Equal(4, completed.ParallelWorkers);

        var again = await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/complete", payload)).ReadAsync<SessionResponse>();
        Assert.Equal(completed.CompletedAt, again.CompletedAt);
        Assert.Equal(completed.DurationSeconds, again.DurationSeconds);

        await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/complete", new { status = "failed" }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/complete", payload with { }))
            .ReadAsync<SessionResponse>();
        Assert.Equal(["session.started", "session.completed"], await api.QueryAsync<string>(
            "select action from ims.audit_log where resource_id = @SessionUuid order by log_id", new { session.SessionUuid }));
    }

    [Fact]
    public async Task Errors_and_queries_are_recorded_in_batches()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);
        var session = await StartAsync(client);

        var errors = await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/errors", new object[]
        {
            new { errorType = "timeout", severity = "warning", message = "IMS answered slowly", detail = new { issueId = "I-1", ms = 30000 } },
            new { errorType = "download", message = "attachment 404" },
        })).ReadAsync<BatchResponse>(HttpStatusCode.Created);
        Assert.Equal(2, errors.Count);
        var stored = await api.QueryAsync<(string Severity, string Message, string? Detail)>(
            "select severity, error_message, error_detail::text from ims.session_errors where session_id = @SessionId order by error_id",
            new { session.SessionId });
        Assert.Equal(("warning", "IMS answered slowly"), (stored[0].Severity, stored[0].Message));
        Assert.Contains("\"issueId\": \"I-1\"", stored[0].Detail);
        Assert.Equal(("error", "attachment 404", (string?)null), stored[1]);

        var queries = await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/queries", new object[]
        {
            new { originalQuery = "배치 타임아웃", parsedQuery = "batch timeout", resultsCount = 12, parsingMethod = "rule_based", parsingConfidence = 0.95m, synonymExpanded = true },
        })).ReadAsync<BatchResponse>(HttpStatusCode.Created);
        Assert.Single(queries.Ids);
        var query = await api.QueryAsync<(int UserId, string Product, string Language, decimal Confidence, bool Synonym)>(
            "select user_id, product, query_language, parsing_confidence, synonym_expanded from ims.search_queries where session_id = @SessionId",
            new { session.SessionId });
        Assert.Equal([(user.UserId, "OpenFrame", "ko", 0.95m, true)], query);
    }

    [Fact]
    public async Task Bad_input_is_400_naming_the_field_and_writes_nothing()
    {
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);

        await (await client.PostJsonAsync("/api/sessions", new { originalQuery = "q" })).AssertValidationProblemAsync("product");
        await (await client.PostJsonAsync("/api/sessions", new { product = "Tibero" })).AssertValidationProblemAsync("originalQuery");
        await (await client.PostJsonAsync("/api/sessions", new { product = "Tibero", originalQuery = "q", maxResults = 0 })).AssertValidationProblemAsync("maxResults");
        await (await client.PostJsonAsync("/api/sessions", new { product = "Tibero", originalQuery = "q", queryLanguage = "much-too-long" })).AssertValidationProblemAsync("queryLanguage");
        await (await client.PostJsonAsync("/api/sessions", new { product = "Tibero", originalQuery = "q", metadata = "text" })).AssertValidationProblemAsync("metadata");
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.crawl_sessions where user_id = @UserId", new { user.UserId }));

        var session = await StartAsync(client);
        await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/complete", new { status = "running" })).AssertValidationProblemAsync("status");
        await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/complete", new { status = "completed", issuesCrawled = -1 })).AssertValidationProblemAsync("issuesCrawled");
        await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/errors", new object[]
        {
            new { message = "fine" },
            new { message = "bad", severity = "fatal" },
        })).AssertValidationProblemAsync("[1].severity");
        await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/errors", Array.Empty<object>())).AssertValidationProblemAsync("body");
        await (await client.PostJsonAsync($"/api/sessions/{session.SessionUuid}/queries", new object[] { new { parsedQuery = "x" } }))
            .AssertValidationProblemAsync("[0].originalQuery");
        var malformed = await client.PostAsync("/api/sessions", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("running", await api.ScalarAsync<string>("select status from ims.crawl_sessions where session_id = @SessionId", new { session.SessionId }));
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.session_errors where session_id = @SessionId", new { session.SessionId }));
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.search_queries where session_id = @SessionId", new { session.SessionId }));
    }

    [Fact]
    public async Task A_user_can_neither_see_nor_write_another_users_session()
    {
        var owner = await api.CreateUserAsync();
        var intruder = await api.CreateUserAsync();
        using var ownerClient = api.CreateClient(owner);
        using var intruderClient = api.CreateClient(intruder);
        var session = await StartAsync(ownerClient);
        var mine = await StartAsync(intruderClient);
        var url = $"/api/sessions/{session.SessionUuid}";

        await (await intruderClient.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruderClient.PostJsonAsync($"{url}/complete", new { status = "cancelled" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruderClient.PostJsonAsync($"{url}/errors", new object[] { new { message = "x" } })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruderClient.PostJsonAsync($"{url}/queries", new object[] { new { originalQuery = "x" } })).AssertProblemAsync(HttpStatusCode.NotFound);
        // Unknown sessions look exactly the same.
        await (await intruderClient.GetAsync("/api/sessions/no-such-session")).AssertProblemAsync(HttpStatusCode.NotFound);

        var list = await (await intruderClient.GetAsync("/api/sessions")).ReadAsync<Page<SessionResponse>>();
        Assert.Equal([mine.SessionUuid], list.Items.Select(item => item.SessionUuid));
        var audit = await (await intruderClient.GetAsync("/api/audit")).ReadAsync<Page<AuditEntry>>();
        Assert.NotEmpty(audit.Items);
        Assert.All(audit.Items, entry => Assert.Equal(intruder.UserId, entry.UserId));
        Assert.Empty((await (await intruderClient.GetAsync($"/api/audit?resourceId={session.SessionUuid}")).ReadAsync<Page<AuditEntry>>()).Items);

        // As the owner (bypassing RLS): nothing changed.
        Assert.Equal("running", await api.ScalarAsync<string>("select status from ims.crawl_sessions where session_id = @SessionId", new { session.SessionId }));
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.session_errors where session_id = @SessionId", new { session.SessionId }));
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.search_queries where session_id = @SessionId", new { session.SessionId }));
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.audit_log where user_id = @UserId and resource_id = @SessionUuid",
            new { intruder.UserId, session.SessionUuid }));

        // The owner still sees and completes it.
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.PostJsonAsync($"{url}/complete", new { status = "completed" })).StatusCode);
    }

    [Fact]
    public async Task Readonly_reads_but_cannot_write()
    {
        var reader = await api.CreateUserAsync("readonly");
        using var client = api.CreateClient(reader);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sessions")).StatusCode);
        await (await client.PostJsonAsync("/api/sessions", NewSession())).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.crawl_sessions where user_id = @UserId", new { reader.UserId }));
    }
}
