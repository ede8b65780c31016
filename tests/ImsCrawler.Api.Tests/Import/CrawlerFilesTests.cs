using System.Net;
using System.Text.Json;
using ImsCrawler.Api.Import;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Tests.Ingest;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.Api.Tests.Import;

/// <summary>
/// The existing crawler's files as it writes them (Import/CrawlerFiles): "" for everything it could not scrape,
/// numbers as strings, isoformat timestamps, an "unknown" page among good ones, a partial re-crawl, a flat output
/// directory. They go in through `import` and through the ingest endpoint alike.
/// </summary>
public sealed class CrawlerFilesTests(ApiFactory api) : IClassFixture<ApiFactory>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ims-crawler-files-").FullName;
    private readonly string prefix = CrawlerFiles.NewPrefix();

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Id(string suffix) => prefix + suffix;

    private async Task<(int ExitCode, string Output, string Error)> ImportAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:imsdb"] = api.Database.ConnectionString })
            .Build();
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await ImportCommand.RunAsync(args, configuration, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private sealed record IssueColumns(
        string Title, string? Description, string? Product, string? Status, string? Priority, string? Severity,
        string? IssueType, string? Reporter, string? Manager, DateTime? RegisteredDate, DateTime? ModifiedDate,
        DateTime? ClosedDate, string? Customer, string? FoundVersion, string? FixedVersion);

    private Task<IssueColumns> ColumnsAsync(string issueId) => api.Database.QuerySingleAsync<IssueColumns>(
        """
        SELECT title, description, product, status, priority, severity, issue_type AS IssueType, reporter, manager,
               registered_date AS RegisteredDate, modified_date AS ModifiedDate, closed_date AS ClosedDate, customer,
               found_version AS FoundVersion, fixed_version AS FixedVersion
        FROM ims.issues WHERE issue_id = @issueId
        """, new { issueId });

    [Fact]
    public async Task A_crawlers_session_folder_imports_as_it_is_written()
    {
        var user = await api.CreateUserAsync();
        var folder = CrawlerFiles.CopyTo(root, CrawlerFiles.Session, prefix);

        var (exitCode, output, error) = await ImportAsync(folder, "--user", user.Username);

        Assert.True(exitCode == 0, error);
        Assert.Contains("3 inserted", output);
        Assert.Contains("files: 4 read, 1 skipped", output);
        Assert.Contains("unknown_20241102_101509.json: issue_id: \"unknown\" is not an IMS issue number", output);
        Assert.Contains($"{Id("001")}_20241102_101501.json: comments: 1 comment without a readable action_no, numbered by position (2)", output);
        // "" is the crawler's "not found": no warning for an empty size or date.
        Assert.DoesNotContain(".size:", output);
        Assert.DoesNotContain("date:", output);

        var (product, query) = await api.Database.QuerySingleAsync<(string, string)>(
            "SELECT product, original_query FROM ims.crawl_sessions WHERE user_id = @UserId", new { user.UserId });
        Assert.Equal(("OpenFrame", "batch timeout"), (product, query));

        var korean = await ColumnsAsync(Id("001"));
        Assert.Equal(("Major", "Defect", "ACME 은행", "7.1", "7.1.3"), (korean.Severity, korean.IssueType, korean.Customer, korean.FoundVersion, korean.FixedVersion));
        Assert.Equal(new DateTime(2024, 11, 1, 9, 3, 10, DateTimeKind.Utc), korean.ClosedDate);
        var japanese = await ColumnsAsync(Id("002"));
        Assert.Equal(((string?)null, (string?)null, (DateTime?)null, (string?)null), (japanese.Priority, japanese.Severity, japanese.ModifiedDate, japanese.Manager));
        var english = await ColumnsAsync(Id("003"));
        Assert.Equal(("Minor", (string?)null, (string?)null), (english.Severity, english.IssueType, english.Manager));

        var comments = await api.Database.QueryAsync<(int, string)>(
            "SELECT comment_number, author FROM ims.issue_comments JOIN ims.issues USING (issue_pk) WHERE issue_id = @id ORDER BY comment_number",
            new { id = Id("001") });
        Assert.Equal([(2, "김민수"), (2258642, "이지은")], comments);
        var attachments = await api.Database.QueryAsync<(string, long?, bool)>(
            "SELECT filename, file_size, downloaded FROM ims.attachments JOIN ims.issues USING (issue_pk) WHERE issue_id = @id ORDER BY filename",
            new { id = Id("001") });
        Assert.Equal([("patch_7.1.3.tar", (long?)null, false), ("tjes_trace.log", 12595L, true)], attachments);
        var crawlOrders = await api.Database.QueryAsync<int?>(
            """
            SELECT si.crawl_order FROM ims.session_issues si JOIN ims.crawl_sessions s USING (session_id)
            WHERE s.user_id = @UserId ORDER BY si.crawl_order
            """, new { user.UserId });
        Assert.Equal([1, 2, 3], crawlOrders);
        // full_data is the record as written, "" included.
        Assert.Equal("", await api.Database.ScalarAsync<string>(
            "SELECT full_data #>> '{metadata,severity}' FROM ims.issues WHERE issue_id = @id", new { id = Id("002") }));
    }

    [Fact]
    public async Task Strict_refuses_the_folder_when_a_file_would_be_skipped()
    {
        var user = await api.CreateUserAsync();
        var folder = CrawlerFiles.CopyTo(root, CrawlerFiles.Session, prefix);

        var (exitCode, _, error) = await ImportAsync(folder, "--user", user.Username, "--strict");

        Assert.Equal(ImportCommand.Failed, exitCode);
        Assert.Contains("unknown_20241102_101509.json", error);
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.crawl_sessions WHERE user_id = @UserId", new { user.UserId }));
        Assert.Equal(0, await api.ScalarAsync<int>("SELECT count(*) FROM ims.issues WHERE issue_id LIKE @like", new { like = prefix + "%" }));
    }

    [Fact]
    public async Task Reimporting_the_same_folder_changes_nothing()
    {
        var user = await api.CreateUserAsync();
        var session = CrawlerFiles.CopyTo(root, CrawlerFiles.Session, prefix);
        Assert.Equal(0, (await ImportAsync(session, "--user", user.Username)).ExitCode);
        var known = await ColumnsAsync(Id("001"));
        var knownFullData = await FullDataAsync(Id("001"));

        var again = await ImportAsync(session, "--user", user.Username);

        Assert.True(again.Output.Contains("0 inserted, 0 updated, 3 unchanged", StringComparison.Ordinal), again.Output + again.Error);
        Assert.Contains("0 comments, 0 history rows", again.Output);
        Assert.Equal(known, await ColumnsAsync(Id("001")));
        Assert.Equal(knownFullData, await FullDataAsync(Id("001")));
    }

    [Fact]
    public async Task A_partial_recrawl_blanks_no_column_comment_or_known_key()
    {
        var user = await api.CreateUserAsync();
        var session = CrawlerFiles.CopyTo(root, CrawlerFiles.Session, prefix);
        var partial = CrawlerFiles.CopyTo(root, CrawlerFiles.PartialRecrawl, prefix);
        Assert.Equal(0, (await ImportAsync(session, "--user", user.Username)).ExitCode);
        var known = await ColumnsAsync(Id("001"));
        var knownFullData = JsonDocument.Parse(await FullDataAsync(Id("001"))).RootElement;
        var knownComments = await CommentsAsync(Id("001"));

        var recrawl = await ImportAsync(partial, "--user", user.Username);

        Assert.True(recrawl.ExitCode == 0, recrawl.Error);
        Assert.Equal(known, await ColumnsAsync(Id("001")));
        Assert.Equal(knownComments, await CommentsAsync(Id("001")));
        Assert.Contains("0 comments, 0 history rows", recrawl.Output);
        var fullData = JsonDocument.Parse(await FullDataAsync(Id("001"))).RootElement;
        foreach (var key in new[] { "description", "product", "priority", "created_date", "reporter", "assignee", "comments", "history", "related_issues" })
            Assert.Equal(knownFullData.GetProperty(key).GetRawText(), fullData.GetProperty(key).GetRawText());
        Assert.Equal("Major", fullData.GetProperty("metadata").GetProperty("severity").GetString());
        Assert.Equal("2024-11-03T09:00:02.000001", fullData.GetProperty("crawled_at").GetString());
        Assert.Equal(2, await api.ScalarAsync<int>("SELECT crawl_count FROM ims.issues WHERE issue_id = @id", new { id = Id("001") }));
    }

    private Task<string> FullDataAsync(string issueId) =>
        api.ScalarAsync<string>("SELECT full_data::text FROM ims.issues WHERE issue_id = @issueId", new { issueId });

    private Task<IReadOnlyList<(int, string, string, DateTime)>> CommentsAsync(string issueId) =>
        api.QueryAsync<(int, string, string, DateTime)>(
            "SELECT comment_number, author, content, commented_at FROM ims.issue_comments JOIN ims.issues USING (issue_pk) WHERE issue_id = @issueId ORDER BY 1",
            new { issueId });

    [Fact]
    public async Task A_flat_output_directory_needs_product_and_query_and_then_imports()
    {
        var user = await api.CreateUserAsync();
        var flat = CrawlerFiles.CopyTo(root, CrawlerFiles.FlatOutput, prefix);

        var refused = await ImportAsync(flat, "--user", user.Username);
        var imported = await ImportAsync(flat, "--user", user.Username, "--product", "OpenFrame", "--query", "job abend");

        Assert.Equal(ImportCommand.Failed, refused.ExitCode);
        Assert.Contains("give --product and --query", refused.Error);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("2 inserted", imported.Output);
        Assert.Equal("job abend", await api.ScalarAsync<string>(
            "SELECT original_query FROM ims.crawl_sessions WHERE user_id = @UserId", new { user.UserId }));
    }

    [Theory]
    [InlineData("OpenFrame_batch_timeout_20241102_101500", "OpenFrame", "batch timeout")]
    [InlineData("Tibero_ORA-00600_20241102_101500", "Tibero", "ORA-00600")]
    [InlineData("JEUS_세션_타임아웃_오류_20241231_235959", "JEUS", "세션 타임아웃 오류")]
    [InlineData("OpenFrame_2024_report_20241102_101500", "OpenFrame", "2024 report")]
    public void The_folder_names_timestamp_is_its_last_two_parts(string name, string product, string query) =>
        Assert.Equal((product, query), SessionFolder.Describe(Path.Combine("/data/users/kim/sessions", name) + "/"));

    [Theory]
    [InlineData("output")]
    [InlineData("OpenFrame_batch_20240501")]
    [InlineData("OpenFrame_20241102_101500")]
    public void A_name_that_is_not_a_crawlers_session_folder_names_nothing(string name) =>
        Assert.Equal(((string?)null, (string?)null), SessionFolder.Describe(name));

    [Fact]
    public async Task The_endpoint_takes_the_crawlers_files_as_they_are()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        using var client = api.CreateClient(user);

        var response = await client.PostAsync($"/api/sessions/{session}/issues",
            CrawledIssues.Raw(CrawlerFiles.AsJsonArray(CrawlerFiles.Session, prefix)));

        var body = await response.ReadJsonAsync();
        Assert.Equal((4, 1, 3), (body.GetProperty("items").GetInt32(), body.GetProperty("skipped").GetInt32(), body.GetProperty("inserted").GetInt32()));
        var warnings = body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("items[3].issue_id: \"unknown\"", StringComparison.Ordinal));
        Assert.Contains("items[0].comments: 1 comment without a readable action_no, numbered by position (2)", warnings);
        Assert.Equal("Minor", (await ColumnsAsync(Id("003"))).Severity);
    }
}
