using System.Net;
using System.Text.Json.Nodes;
using ImsCrawler.Api.Tests.Infrastructure;

namespace ImsCrawler.Api.Tests.Ingest;

/// <summary>Configured batch limits (Ingest:MaxItems, Ingest:MaxBytes) answer 413 and write nothing.</summary>
public sealed class IngestLimitTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private ApiFactory Limited() => ApiFactory.On(api.Database, new() { ["Ingest:MaxItems"] = "3", ["Ingest:MaxBytes"] = "4000" });

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-ndjson")]
    public async Task More_items_than_the_limit_is_413(string mediaType)
    {
        await using var limited = Limited();
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        var items = Enumerable.Range(0, 4).Select(i => (JsonNode)new JsonObject { ["issue_id"] = CrawledIssues.UniqueId(), ["title"] = "t" }).ToArray();
        using var client = limited.CreateClient(user.Key);

        var content = mediaType == "application/json" ? CrawledIssues.Json(items) : CrawledIssues.NdJson(items);
        var problem = await (await client.PostAsync($"/api/sessions/{session}/issues", content)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("3", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.session_issues JOIN ims.crawl_sessions USING (session_id) WHERE session_uuid = @session", new { session }));
    }

    [Fact]
    public async Task More_bytes_than_the_limit_is_413()
    {
        await using var limited = Limited();
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        var record = CrawledIssues.Small(CrawledIssues.UniqueId());
        record["description"] = new string('x', 5000);
        using var client = limited.CreateClient(user.Key);

        await (await client.PostAsync($"/api/sessions/{session}/issues", CrawledIssues.Json(record))).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.session_issues JOIN ims.crawl_sessions USING (session_id) WHERE session_uuid = @session", new { session }));
    }

    [Fact]
    public async Task A_batch_within_the_limits_is_accepted()
    {
        await using var limited = Limited();
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        using var client = limited.CreateClient(user.Key);

        var body = await (await client.PostAsync($"/api/sessions/{session}/issues",
            CrawledIssues.Json(CrawledIssues.Small(CrawledIssues.UniqueId()), CrawledIssues.Small(CrawledIssues.UniqueId())))).ReadJsonAsync();
        Assert.Equal(2, body.GetProperty("inserted").GetInt32());
    }
}
