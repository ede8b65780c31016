using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImsCrawler.Api.Tests.Infrastructure;

namespace ImsCrawler.Api.Tests.Ingest;

/// <summary>
/// Records at the edges of what PostgreSQL and .NET can represent still go in: dates in year 1 and 9999, sizes past
/// bigint, a search document past the tsvector limit, history details made to make regexes backtrack. Each is a
/// warning (or just stored), never a 500 and never a refused batch.
/// </summary>
public sealed class IngestEdgeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string IssuesOf(string session) => $"/api/sessions/{session}/issues";

    [Fact]
    public async Task Dates_at_the_calendars_edges_are_warnings_and_stored_as_null()
    {
        var (client, session) = await SessionAsync();
        var id = CrawledIssues.UniqueId("D");
        var issue = CrawledIssues.Small(id);
        issue["created_date"] = "0001-01-01 00:00";          // Seoul, UTC+9: before year 1 in UTC
        issue["updated_date"] = "9999-12-31T23:59:59-09:00"; // after year 9999 in UTC
        issue["crawled_at"] = "0001-01-01T00:00:00Z";        // DateTime.MinValue: would be written as -infinity

        var body = await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(issue))).ReadJsonAsync();

        var warnings = Warnings(body);
        Assert.Contains(warnings, w => w.StartsWith("items[0].created_date:", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("items[0].updated_date:", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("items[0].crawled_at:", StringComparison.Ordinal));
        var stored = (await api.QueryAsync<(DateTime? Registered, DateTime? Modified)>(
            "select registered_date, modified_date from ims.issues where issue_id = @id", new { id })).Single();
        Assert.Equal((null, null), stored);
    }

    [Fact]
    public async Task A_size_past_bigint_is_a_warning_and_stored_as_null()
    {
        var (client, session) = await SessionAsync();
        var id = CrawledIssues.UniqueId("S");
        var issue = CrawledIssues.Small(id);
        issue["attachments"] = new JsonArray(new JsonObject { ["name"] = "huge.bin", ["size"] = "9999999999999999999999999999 KB" });

        var body = await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(issue))).ReadJsonAsync();

        Assert.Contains(Warnings(body), w => w.StartsWith("items[0].attachments[0].size:", StringComparison.Ordinal));
        Assert.Null(await api.ScalarAsync<long?>(
            "select a.file_size from ims.attachments a join ims.issues i using (issue_pk) where i.issue_id = @id", new { id }));
    }

    [Fact]
    public async Task An_issue_past_the_search_document_limit_is_stored_whole_its_document_cut_and_a_retry_does_the_same()
    {
        var (client, session) = await SessionAsync();
        var id = CrawledIssues.UniqueId("BIG");
        var issue = CrawledIssues.Small(id, "Giant TPETIMEOUTX dump");
        // ~100k distinct words: about 3.3 MB of text whose lexemes alone pass the 1 MiB tsvector limit.
        var description = string.Join(' ', Enumerable.Range(0, 100_000).Select(i => $"w{i:x}q{(i * 7919) % 100_003:x}"));
        issue["description"] = description;
        issue["attachments"] = new JsonArray(new JsonObject { ["name"] = "log.txt", ["extracted_text"] = "ATTACHMENTONLYWORD" });

        var first = await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(issue))).ReadJsonAsync();
        var retry = await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(issue))).ReadJsonAsync();

        foreach (var body in new[] { first, retry })
            Assert.Contains(Warnings(body), w => w.StartsWith("items[0]:", StringComparison.Ordinal) && w.Contains("description", StringComparison.Ordinal));
        Assert.Equal(1, first.GetProperty("inserted").GetInt32());
        Assert.Equal(1, retry.GetProperty("unchanged").GetInt32());
        var stored = (await api.QueryAsync<(int Length, string? CutFrom, bool TitleFound, bool AttachmentFound)>("""
            select length(i.description), d.cut_from,
                   d.document @@ ims.parse_search_query('TPETIMEOUTX'), d.document @@ ims.parse_search_query('ATTACHMENTONLYWORD')
            from ims.issues i join ims.issue_search_documents d using (issue_pk) where i.issue_id = @id
            """, new { id })).Single();
        Assert.Equal((description.Length, "description", true, false), stored);

        using var search = await client.GetAsync("/api/search?q=TPETIMEOUTX");
        Assert.Contains(id, await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_details_made_to_make_a_regex_backtrack_are_stored_as_description()
    {
        var (client, session) = await SessionAsync();
        var id = CrawledIssues.UniqueId("H");
        var issue = CrawledIssues.Small(id);
        var hostile = new StringBuilder().Append(' ', 500_000).Append("a changed from").Append(' ', 500_000).Append('x').ToString();
        issue["history"] = new JsonArray(
            new JsonObject { ["date"] = "2024-02-01 08:00", ["user"] = "eng", ["details"] = hostile },
            new JsonObject { ["date"] = "2024-02-01 09:00", ["user"] = "eng", ["details"] = "Status changed from Open to Closed" });

        var body = await (await client.PostAsync(IssuesOf(session), CrawledIssues.Json(issue))).ReadJsonAsync();

        Assert.Equal(2, body.GetProperty("historyWritten").GetInt32());
        var rows = await api.QueryAsync<(int Length, string? ChangeType)>("""
            select length(h.description), h.change_type from ims.issue_history h join ims.issues i using (issue_pk)
            where i.issue_id = @id order by h.changed_at
            """, new { id });
        Assert.Equal([(hostile.Length, null), ("Status changed from Open to Closed".Length, "status_change")], rows);
    }

    private async Task<(HttpClient Client, string Session)> SessionAsync()
    {
        var user = await api.CreateUserAsync();
        return (api.CreateClient(user), await CrawledIssues.CreateSessionAsync(api.Database, user.UserId));
    }

    private static List<string> Warnings(JsonElement body) =>
        body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
}
