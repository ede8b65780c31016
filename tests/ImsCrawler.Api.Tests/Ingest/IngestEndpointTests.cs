using System.Net;
using System.Text.Json.Nodes;
using ImsCrawler.Api.Tests.Infrastructure;

namespace ImsCrawler.Api.Tests.Ingest;

/// <summary>POST /api/sessions/{uuid}/issues through the real API on a real, migrated PostgreSQL.</summary>
public sealed class IngestEndpointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string IssuesOf(string session) => $"/api/sessions/{session}/issues";

    private sealed record IssueRowView(
        string title, string? description, string? product, string? status, string? priority, string? severity,
        string? issue_type, string? reporter, string? owner, string? manager, DateTime? registered_date,
        DateTime? modified_date, DateTime? closed_date, string? project_name, string? customer, string? found_version,
        string? fixed_version, string full_data, int crawl_count);

    [Fact]
    public async Task A_full_record_maps_every_field_as_the_spec_says()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        var id = CrawledIssues.UniqueId();
        using var client = api.CreateClient(user);

        var body = await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(CrawledIssues.Full(id, crawlOrder: 7)))).ReadJsonAsync();

        Assert.Equal(1, body.GetProperty("inserted").GetInt32());
        Assert.Equal(1, body.GetProperty("linked").GetInt32());
        Assert.Equal(2, body.GetProperty("commentsWritten").GetInt32());
        Assert.Equal(2, body.GetProperty("historyWritten").GetInt32());
        Assert.Equal(1, body.GetProperty("attachmentsWritten").GetInt32());
        Assert.Equal(0, body.GetProperty("warnings").GetArrayLength());

        var issue = (await api.QueryAsync<IssueRowView>(
            """
            SELECT title, description, product, status, priority, severity, issue_type, reporter, owner, manager,
                   registered_date, modified_date, closed_date, project_name, customer, found_version, fixed_version,
                   full_data::text AS full_data, crawl_count
            FROM ims.issues WHERE issue_id = @id
            """, new { id })).Single();
        Assert.Equal("배치 작업 TPETIME 타임아웃 — OpenFrame Batch", issue.title);
        Assert.StartsWith("夜間バッチ", issue.description);
        Assert.Equal(("OpenFrame Batch", "Closed", "High"), (issue.product, issue.status, issue.priority));
        Assert.Equal(("Major", "Defect"), (issue.severity, issue.issue_type));
        Assert.Equal(("Kim Reporter (kim@example.com)", "Park Owner", "Lee Handler"), (issue.reporter, issue.owner, issue.manager));
        Assert.Equal(("ACME Migration", "ACME Corp"), (issue.project_name, issue.customer));
        Assert.Equal(("7.1", "7.1.3"), (issue.found_version, issue.fixed_version));
        // IMS local time in Asia/Seoul (UTC+9).
        Assert.Equal(new DateTime(2024, 1, 15, 1, 23, 0, DateTimeKind.Utc), issue.registered_date);
        Assert.Equal(new DateTime(2024, 1, 20, 8, 5, 30, DateTimeKind.Utc), issue.modified_date);
        Assert.Equal(issue.modified_date, issue.closed_date);
        Assert.Equal(1, issue.crawl_count);
        var fullData = JsonNode.Parse(issue.full_data)!;
        Assert.True((bool)fullData["x_unknown_key"]!["kept"]!);
        Assert.Equal("1234", (string?)fullData["metadata"]!["build_no"]);
        Assert.Equal("347001", (string?)fullData["related_issues"]![0]!["issue_no"]);
        Assert.Equal("Apply patch 7.1.3", (string?)fullData["product_notice"]);

        Assert.Equal(7, await api.ScalarAsync<int>(
            "SELECT si.crawl_order FROM ims.session_issues si JOIN ims.issues i USING (issue_pk) JOIN ims.crawl_sessions s USING (session_id) WHERE i.issue_id = @id AND s.session_uuid = @session",
            new { id, session }));

        var comments = await api.QueryAsync<(int, string, string, DateTime)>(
            "SELECT comment_number, author, content, commented_at FROM ims.issue_comments c JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = @id ORDER BY 1",
            new { id });
        Assert.Equal([1, 2], comments.Select(c => c.Item1));
        Assert.Equal("TP 타임아웃 값을 늘렸습니다.", comments[0].Item3);
        Assert.Equal(new DateTime(2024, 1, 16, 0, 0, 0, DateTimeKind.Utc), comments[0].Item4);
        Assert.Equal(new DateTime(2024, 1, 16, 15, 0, 0, DateTimeKind.Utc), comments[1].Item4);

        var history = await api.QueryAsync<(string, DateTime, string?, string?, string?, string?, string)>(
            """
            SELECT h.changed_by, h.changed_at, h.change_type, h.field_name, h.old_value, h.new_value, h.description
            FROM ims.issue_history h JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = @id ORDER BY h.changed_at
            """, new { id });
        Assert.Equal(2, history.Count);
        Assert.Equal(("Issue registered", (string?)null), (history[0].Item7, history[0].Item3));
        Assert.Equal(("Lee Handler", "status_change", "Status", "Open", "Closed"),
            (history[1].Item1, history[1].Item3, history[1].Item4, history[1].Item5, history[1].Item6));

        var attachment = (await api.QueryAsync<(string, string, long, string, bool, string, bool, string)>(
            """
            SELECT a.filename, a.file_type, a.file_size, a.file_path, a.downloaded, a.extracted_text, a.text_extracted, s.session_uuid
            FROM ims.attachments a JOIN ims.issues i USING (issue_pk) JOIN ims.crawl_sessions s ON s.session_id = a.session_id
            WHERE i.issue_id = @id
            """, new { id })).Single();
        Assert.Equal(("tpetime_trace.log", "regular", 12595L), (attachment.Item1, attachment.Item2, attachment.Item3));
        Assert.Equal(($"attachments/{id}/tpetime_trace.log", true, true, session),
            (attachment.Item4, attachment.Item5, attachment.Item7, attachment.Item8));

        // The search document covers title, description, comments and attachment text.
        Assert.Contains(id, await api.QueryAsync<string>("SELECT issue_id FROM ims.search_issues('OFCOBOL')"));
        Assert.Contains(id, await api.QueryAsync<string>("SELECT issue_id FROM ims.search_issues('타임아웃 값을')"));
    }

    private const string XminsSql = """
        SELECT 'issue:' || i.xmin::text FROM ims.issues i WHERE i.issue_id = ANY (@ids)
        UNION ALL SELECT 'doc:' || d.xmin::text FROM ims.issue_search_documents d JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = ANY (@ids)
        UNION ALL SELECT 'link:' || l.xmin::text FROM ims.session_issues l JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = ANY (@ids)
        UNION ALL SELECT 'comment:' || c.xmin::text FROM ims.issue_comments c JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = ANY (@ids)
        UNION ALL SELECT 'history:' || h.xmin::text FROM ims.issue_history h JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = ANY (@ids)
        UNION ALL SELECT 'attachment:' || a.xmin::text FROM ims.attachments a JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = ANY (@ids)
        ORDER BY 1
        """;

    [Fact]
    public async Task Retrying_a_batch_rewrites_nothing()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        string[] ids = [CrawledIssues.UniqueId(), CrawledIssues.UniqueId()];
        using var client = api.CreateClient(user);
        var batch = () => CrawledIssues.Json(CrawledIssues.Full(ids[0]), CrawledIssues.Small(ids[1]));

        await (await client.PostAsync(IssuesOf(session), batch())).ReadJsonAsync();
        var before = await api.QueryAsync<string>(XminsSql, new { ids });
        var again = await (await client.PostAsync(IssuesOf(session), batch())).ReadJsonAsync();
        var after = await api.QueryAsync<string>(XminsSql, new { ids });

        Assert.Equal(2, again.GetProperty("unchanged").GetInt32());
        foreach (var count in new[] { "inserted", "updated", "linked", "commentsWritten", "historyWritten", "attachmentsWritten" })
            Assert.True(again.GetProperty(count).GetInt32() == 0, $"{count} should be 0 on a retry: {again}");
        Assert.Equal(2 + 2 + 2 + 3 + 3 + 2, before.Count);
        Assert.Equal(before, after);
        Assert.Equal([1, 1], await api.QueryAsync<int>("SELECT crawl_count FROM ims.issues WHERE issue_id = ANY (@ids)", new { ids }));
    }

    [Fact]
    public async Task A_second_session_crawling_an_issue_bumps_crawl_count_once()
    {
        var user = await api.CreateUserAsync();
        var first = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        var second = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        var id = CrawledIssues.UniqueId();
        using var client = api.CreateClient(user);

        await (await client.PostAsync(IssuesOf(first), CrawledIssues.Json(CrawledIssues.Small(id)))).ReadJsonAsync();
        var recrawl = await (await client.PostAsync(IssuesOf(second), CrawledIssues.Json(CrawledIssues.Small(id)))).ReadJsonAsync();
        var retry = await (await client.PostAsync(IssuesOf(second), CrawledIssues.Json(CrawledIssues.Small(id)))).ReadJsonAsync();

        Assert.Equal((1, 1, 0, 1), (recrawl.GetProperty("linked").GetInt32(), recrawl.GetProperty("unchanged").GetInt32(),
            recrawl.GetProperty("commentsWritten").GetInt32(), recrawl.GetProperty("attachmentsWritten").GetInt32()));
        Assert.Equal(0, retry.GetProperty("linked").GetInt32());
        Assert.Equal(2, await api.ScalarAsync<int>("SELECT crawl_count FROM ims.issues WHERE issue_id = @id", new { id }));
        Assert.Equal(2, await api.ScalarAsync<int>("SELECT count(*) FROM ims.session_issues JOIN ims.issues USING (issue_pk) WHERE issue_id = @id", new { id }));
        // Each session holds the attachments it crawled (as the existing crawler writes them).
        Assert.Equal([first, second], await api.QueryAsync<string>(
            "SELECT s.session_uuid FROM ims.attachments a JOIN ims.issues i USING (issue_pk) JOIN ims.crawl_sessions s ON s.session_id = a.session_id WHERE i.issue_id = @id ORDER BY a.attachment_id",
            new { id }));
    }

    [Fact]
    public async Task A_changed_crawl_updates_only_what_changed()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        var id = CrawledIssues.UniqueId();
        using var client = api.CreateClient(user);
        await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(CrawledIssues.Full(id)))).ReadJsonAsync();
        var historyBefore = await api.QueryAsync<string>(
            "SELECT h.xmin::text FROM ims.issue_history h JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = @id ORDER BY h.history_id", new { id });

        var changed = CrawledIssues.Full(id);
        changed["status"] = "Open";
        changed["comments"]![1]!["content"] = "Reopened: still failing";
        var body = await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(changed))).ReadJsonAsync();

        Assert.Equal((1, 1, 0, 0), (body.GetProperty("updated").GetInt32(), body.GetProperty("commentsWritten").GetInt32(),
            body.GetProperty("historyWritten").GetInt32(), body.GetProperty("attachmentsWritten").GetInt32()));
        var (status, closed, count) = (await api.QueryAsync<(string, DateTime?, int)>(
            "SELECT status, closed_date, crawl_count FROM ims.issues WHERE issue_id = @id", new { id })).Single();
        Assert.Equal(("Open", (DateTime?)null, 1), (status, closed, count));
        Assert.Equal("Reopened: still failing", await api.ScalarAsync<string>(
            "SELECT content FROM ims.issue_comments c JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = @id AND comment_number = 2", new { id }));
        Assert.Equal(historyBefore, await api.QueryAsync<string>(
            "SELECT h.xmin::text FROM ims.issue_history h JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = @id ORDER BY h.history_id", new { id }));
    }

    [Fact]
    public async Task A_batch_with_one_bad_item_writes_nothing()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        string[] ids = [CrawledIssues.UniqueId(), CrawledIssues.UniqueId()];
        using var client = api.CreateClient(user);

        var response = await client.PostAsync(IssuesOf(session), CrawledIssues.Json(
            CrawledIssues.Small(ids[0]), new JsonObject { ["title"] = "no issue_id at all" }, CrawledIssues.Small(ids[1])));

        await response.AssertValidationProblemAsync("items[1].issue_id");
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.issues WHERE issue_id = ANY (@ids)", new { ids }));
        Assert.Equal(0, await api.ScalarAsync<int>(
            "SELECT count(*) FROM ims.session_issues JOIN ims.crawl_sessions USING (session_id) WHERE session_uuid = @session", new { session }));
    }

    public static TheoryData<string, string> BadItems => new()
    {
        { """{"title": "no id"}""", "items[2].issue_id" },
        { $$"""{"issue_id": "{{new string('9', 51)}}", "title": "x"}""", "items[2].issue_id" },
        { $$"""{"issue_id": "B1", "title": "x", "product": "{{new string('p', 101)}}"}""", "items[2].product" },
        { $$"""{"issue_id": "B1", "title": "x", "status": "{{new string('s', 51)}}"}""", "items[2].status" },
        { $$"""{"issue_id": "B1", "title": "x", "priority": "{{new string('가', 21)}}"}""", "items[2].priority" },
        { $$$"""{"issue_id": "B1", "title": "x", "metadata": {"severity": "{{{new string('s', 21)}}}"}}""", "items[2].metadata.severity" },
        { $$$"""{"issue_id": "B1", "title": "x", "attachments": [{"name": "{{{new string('f', 501)}}}"}]}""", "items[2].attachments[0].name" },
        { """{"issue_id": "B1", "title": "x", "attachments": [{"size": "1 KB"}]}""", "items[2].attachments[0].name" },
        { """{"issue_id": "B1", "title": 42}""", "items[2].title" },
        { """{"issue_id": "B1", "title": "x", "comments": "none"}""", "items[2].comments" },
        { """{"issue_id": "B1", "title": "x", "comments": [{"action_no": {"n": 1}}]}""", "items[2].comments[0].action_no" },
        { """{"issue_id": "B1", "title": "x", "history": [{"date": 20240101}]}""", "items[2].history[0].date" },
        { """{"issue_id": "B1", "title": "x", "metadata": "Major"}""", "items[2].metadata" },
        { """{"issue_id": "B1", "title": "x", "crawl_order": 1.5}""", "items[2].crawl_order" },
        { """{"issue_id": "B1", "title": "bad \u0000 text"}""", "items[2].title" },
        { "\"just a string\"", "items[2]" },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task A_bad_item_is_a_400_naming_its_index_and_field(string badItem, string field)
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        using var client = api.CreateClient(user);
        var id = CrawledIssues.UniqueId();
        var body = $"[{CrawledIssues.Small(id).ToJsonString()}, {CrawledIssues.Small(CrawledIssues.UniqueId()).ToJsonString()}, {badItem}]";

        var response = await client.PostAsync(IssuesOf(session), CrawledIssues.Raw(body));

        await response.AssertValidationProblemAsync(field);
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.issues WHERE issue_id = @id", new { id }));
    }

    [Theory]
    [InlineData("[{\"issue_id\": \"1\",", "application/json", "body")]
    [InlineData("{\"issue_id\": \"1\"}", "application/json", "body")]
    [InlineData("{\"issue_id\": \"N1\", \"title\": \"ok\"}\n{\"issue_id\": \n", "application/x-ndjson", "items[1]")]
    public async Task Malformed_json_is_a_400(string body, string mediaType, string field)
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        using var client = api.CreateClient(user);

        var response = await client.PostAsync(IssuesOf(session), CrawledIssues.Raw(body, mediaType));

        await response.AssertValidationProblemAsync(field);
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.issues WHERE issue_id = 'N1'"));
    }

    [Fact]
    public async Task Ndjson_batches_are_ingested()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        string[] ids = [CrawledIssues.UniqueId(), CrawledIssues.UniqueId()];
        using var client = api.CreateClient(user);

        var body = await (await client.PostAsync(IssuesOf(session),
            CrawledIssues.NdJson(CrawledIssues.Full(ids[0]), CrawledIssues.Small(ids[1])))).ReadJsonAsync();

        Assert.Equal((2, 2, 2), (body.GetProperty("items").GetInt32(), body.GetProperty("inserted").GetInt32(), body.GetProperty("linked").GetInt32()));
        Assert.Equal(2, await api.ScalarAsync<int>("SELECT count(*) FROM ims.issues WHERE issue_id = ANY (@ids)", new { ids }));
    }

    [Fact]
    public async Task An_unparsable_date_is_a_warning_and_null()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        var id = CrawledIssues.UniqueId();
        var record = CrawledIssues.Small(id);
        record["created_date"] = "2024-01-15";
        record["updated_date"] = "last Tuesday";
        using var client = api.CreateClient(user);

        var body = await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(record))).ReadJsonAsync();

        Assert.Contains("items[0].updated_date: unparsable date \"last Tuesday\", stored as NULL",
            body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        var (registered, modified, raw) = (await api.QueryAsync<(DateTime?, DateTime?, string)>(
            "SELECT registered_date, modified_date, full_data->>'updated_date' FROM ims.issues WHERE issue_id = @id", new { id })).Single();
        Assert.Equal(new DateTime(2024, 1, 14, 15, 0, 0, DateTimeKind.Utc), registered);
        Assert.Null(modified);
        Assert.Equal("last Tuesday", raw);
    }

    [Fact]
    public async Task Another_users_session_and_an_unknown_session_are_404()
    {
        var owner = await api.CreateUserAsync();
        var intruder = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, owner.UserId);
        var id = CrawledIssues.UniqueId();
        using var client = api.CreateClient(intruder);

        await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(CrawledIssues.Small(id)))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync(IssuesOf(Guid.NewGuid().ToString()), CrawledIssues.Json(CrawledIssues.Small(id)))).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.issues WHERE issue_id = @id", new { id }));
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("failed")]
    public async Task A_session_that_is_not_running_is_409(string status)
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId, status);
        var id = CrawledIssues.UniqueId();
        using var client = api.CreateClient(user);

        await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(CrawledIssues.Small(id)))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.issues WHERE issue_id = @id", new { id }));
    }

    [Fact]
    public async Task Readers_and_anonymous_callers_cannot_ingest()
    {
        var reader = await api.CreateUserAsync("readonly");
        var session = await CrawledIssues.CreateSessionAsync(api.Database, reader.UserId);
        using var readerClient = api.CreateClient(reader);
        using var anonymous = api.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await readerClient.PostAsync(IssuesOf(session), CrawledIssues.Json(CrawledIssues.Small("R1")))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(IssuesOf(session), CrawledIssues.Json(CrawledIssues.Small("R1")))).StatusCode);
    }

    [Fact]
    public async Task Another_media_type_is_415()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        using var client = api.CreateClient(user);

        await (await client.PostAsync(IssuesOf(session), CrawledIssues.Raw("issue_id=1", "text/plain"))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }
}
