using System.Text.Json.Nodes;
using ImsCrawler.Api.Import;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Tests.Ingest;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.Api.Tests.Import;

/// <summary>`import &lt;folder&gt; --user &lt;name&gt;` on a session folder laid out like the crawler's.</summary>
public sealed class ImportCommandTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ims-import-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private IConfiguration Configuration => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:imsdb"] = database.ConnectionString })
        .Build();

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await ImportCommand.RunAsync(args, Configuration, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A folder data/users/&lt;user&gt;/sessions/&lt;Product&gt;_&lt;keywords&gt;_&lt;timestamp&gt;/ with one file per issue.</summary>
    private string SessionFolder(string name, params JsonObject[] issues)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(folder, "attachments"));
        File.WriteAllText(Path.Combine(folder, "attachments", "trace.log"), "not read");
        foreach (var issue in issues)
            File.WriteAllText(Path.Combine(folder, $"{(string)issue["issue_id"]!}_20240501100000.json"), issue.ToJsonString());
        return folder;
    }

    private static JsonObject Japanese(string id, int order) => new()
    {
        ["issue_id"] = id,
        ["title"] = "ジョブが異常終了する (S0C4)",
        ["description"] = "バッチジョブが S0C4 で異常終了します。",
        ["product"] = "OpenFrame Batch",
        ["status"] = "Open",
        ["created_date"] = "2024/04/30 09:00:00",
        ["comments"] = new JsonArray(new JsonObject { ["action_no"] = 1, ["author"] = "田中", ["date"] = "2024-04-30 10:00", ["content"] = "再現しました。" }),
        ["history"] = new JsonArray(new JsonObject { ["date"] = "2024-04-30 09:00", ["user"] = "田中", ["details"] = "状態: 受付 → 処理中" }),
        ["attachments"] = new JsonArray(),
        ["crawled_at"] = "2024-05-01 10:05:00",
        ["crawl_order"] = order,
    };

    [Fact]
    public async Task A_session_folder_becomes_one_completed_session_of_the_user()
    {
        var user = await TestUsers.CreateAsync(database);
        string[] ids = [CrawledIssues.UniqueId("K"), CrawledIssues.UniqueId("J"), CrawledIssues.UniqueId("R")];
        var related = CrawledIssues.Small(ids[2], "관련 이슈");
        var folder = SessionFolder("OpenFrame_배치_타임아웃_20240501_100000",
            CrawledIssues.Full(ids[0], crawlOrder: 1), Japanese(ids[1], 2), related);

        var (exitCode, output, error) = await RunAsync(folder, "--user", user.Username, "--batch-size", "2");

        Assert.True(exitCode == 0, error);
        Assert.Contains("[##############################] 3/3 issues", output);
        Assert.Contains("3 inserted", output);
        var session = (await database.QueryAsync<(string, string, string, int, int, int, int)>(
            """
            SELECT product, original_query, status, issues_crawled, total_issues_found, related_issues, attachments_downloaded
            FROM ims.crawl_sessions WHERE user_id = @UserId
            """, new { user.UserId })).Single();
        Assert.Equal(("OpenFrame", "배치 타임아웃", "completed"), (session.Item1, session.Item2, session.Item3));
        Assert.Equal((3, 3, 1, 1), (session.Item4, session.Item5, session.Item6, session.Item7));
        Assert.Equal(new DateTime(2024, 5, 1, 1, 0, 0, DateTimeKind.Utc), await database.ScalarAsync<DateTime>(
            "SELECT started_at FROM ims.crawl_sessions WHERE user_id = @UserId", new { user.UserId }));

        var linked = await database.QueryAsync<(string, int?)>(
            """
            SELECT i.issue_id, si.crawl_order FROM ims.session_issues si
            JOIN ims.issues i USING (issue_pk) JOIN ims.crawl_sessions s USING (session_id)
            WHERE s.user_id = @UserId ORDER BY si.crawl_order NULLS LAST
            """, new { user.UserId });
        Assert.Equal([(ids[0], (int?)1), (ids[1], 2), (ids[2], null)], linked);
        Assert.Equal("ジョブが異常終了する (S0C4)", await database.ScalarAsync<string>("SELECT title FROM ims.issues WHERE issue_id = @id", new { id = ids[1] }));
        Assert.Equal(2 + 1 + 1, await database.ScalarAsync<int>(
            "SELECT count(*) FROM ims.issue_comments JOIN ims.issues USING (issue_pk) WHERE issue_id = ANY (@ids)", new { ids }));
        Assert.Equal("状態", await database.ScalarAsync<string>(
            "SELECT field_name FROM ims.issue_history JOIN ims.issues USING (issue_pk) WHERE issue_id = @id", new { id = ids[1] }));
        Assert.Contains(ids[1], await database.QueryAsync<string>("SELECT issue_id FROM ims.search_issues('異常終了')"));
    }

    [Fact]
    public async Task Product_and_query_options_win_over_the_folder_name()
    {
        var user = await TestUsers.CreateAsync(database);
        var folder = SessionFolder("anything", CrawledIssues.Small(CrawledIssues.UniqueId()));

        var (exitCode, _, error) = await RunAsync(folder, "--user", user.Username, "--product", "Tibero", "--query", "ORA-00600 내부 오류");

        Assert.True(exitCode == 0, error);
        Assert.Equal("Tibero|ORA-00600 내부 오류", await database.ScalarAsync<string>(
            "SELECT product || '|' || original_query FROM ims.crawl_sessions WHERE user_id = @UserId", new { user.UserId }));
    }

    [Fact]
    public async Task An_unparsable_file_is_named_and_nothing_is_written()
    {
        var user = await TestUsers.CreateAsync(database);
        var good = CrawledIssues.UniqueId();
        var folder = SessionFolder("OpenFrame_batch_20240501_100000", CrawledIssues.Small(good));
        File.WriteAllText(Path.Combine(folder, "347999_20240501100500.json"), "{\"issue_id\": \"347999\", \"title\": ");

        var (exitCode, _, error) = await RunAsync(folder, "--user", user.Username);

        Assert.Equal(ImportCommand.Failed, exitCode);
        Assert.Contains("347999_20240501100500.json", error);
        Assert.Equal(0, await database.ScalarAsync<int>("SELECT count(*) FROM ims.crawl_sessions WHERE user_id = @UserId", new { user.UserId }));
        Assert.Equal(0, await database.ScalarAsync<int>("SELECT count(*) FROM ims.issues WHERE issue_id = @good", new { good }));
    }

    [Fact]
    public async Task A_rejected_record_is_named_by_its_file_and_nothing_is_written()
    {
        var user = await TestUsers.CreateAsync(database);
        var folder = SessionFolder("OpenFrame_batch_20240501_100000", CrawledIssues.Small(CrawledIssues.UniqueId()),
            new JsonObject { ["issue_id"] = "347998", ["title"] = 42 });

        var (exitCode, _, error) = await RunAsync(folder, "--user", user.Username);

        Assert.Equal(ImportCommand.Failed, exitCode);
        Assert.Contains("347998_20240501100000.json: title: must be a string", error);
        Assert.Equal(0, await database.ScalarAsync<int>("SELECT count(*) FROM ims.crawl_sessions WHERE user_id = @UserId", new { user.UserId }));
    }

    [Fact]
    public async Task A_missing_folder_an_empty_folder_and_an_unknown_user_are_clear_errors()
    {
        var user = await TestUsers.CreateAsync(database);
        var empty = Path.Combine(root, "OpenFrame_empty_20240501_100000");
        Directory.CreateDirectory(empty);
        var folder = SessionFolder("OpenFrame_batch_20240501_100000", CrawledIssues.Small(CrawledIssues.UniqueId()));

        var missing = await RunAsync(Path.Combine(root, "nope"), "--user", user.Username);
        var none = await RunAsync(empty, "--user", user.Username);
        var nobody = await RunAsync(folder, "--user", "nobody-" + Guid.NewGuid().ToString("N")[..8]);
        var usage = await RunAsync(folder);

        Assert.Equal((ImportCommand.Failed, true), (missing.ExitCode, missing.Error.Contains("folder not found", StringComparison.Ordinal)));
        Assert.Equal((ImportCommand.Failed, true), (none.ExitCode, none.Error.Contains("no *.json files", StringComparison.Ordinal)));
        Assert.Equal((ImportCommand.Failed, true), (nobody.ExitCode, nobody.Error.Contains("no user 'nobody-", StringComparison.Ordinal)));
        Assert.Equal((ImportCommand.UsageError, true), (usage.ExitCode, usage.Error.Contains("--user", StringComparison.Ordinal)));
        Assert.Equal(0, await database.ScalarAsync<int>("SELECT count(*) FROM ims.crawl_sessions WHERE user_id = @UserId", new { user.UserId }));
    }

    [Fact]
    public async Task Help_lists_the_options_and_a_bad_option_is_a_usage_error()
    {
        var help = await RunAsync("--help");
        var bad = await RunAsync(root, "--user", "x", "--batch-size", "0");

        Assert.Equal(ImportCommand.Succeeded, help.ExitCode);
        Assert.All(new[] { "--user", "--product", "--query", "--batch-size", "--strict" }, option => Assert.Contains(option, help.Output));
        Assert.Equal(ImportCommand.UsageError, bad.ExitCode);
        Assert.Contains("--batch-size needs a positive whole number", bad.Error);
    }

    [Fact]
    public async Task A_document_cut_to_fit_the_search_index_is_a_warning_naming_its_file()
    {
        var user = await TestUsers.CreateAsync(database);
        var id = CrawledIssues.UniqueId("BIG");
        var issue = CrawledIssues.Small(id, "Giant dump");
        // ~100k distinct words pass the 1 MiB tsvector limit (sql/14).
        issue["description"] = string.Join(' ', Enumerable.Range(0, 100_000).Select(i => $"w{i:x}q{(i * 7919) % 100_003:x}"));
        var folder = SessionFolder("OpenFrame_dump_20240501_100000", issue);

        var (exitCode, output, error) = await RunAsync(folder, "--user", user.Username);

        Assert.True(exitCode == 0, error);
        Assert.True(output.Contains($"{id}_20240501100000.json: issue {id}'s text is larger than one search document holds", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task A_read_only_user_cannot_own_an_imported_session()
    {
        var analyst = await TestUsers.CreateAsync(database, "readonly");
        var folder = SessionFolder("OpenFrame_batch_20240501_100000", CrawledIssues.Small(CrawledIssues.UniqueId()));

        var (exitCode, _, error) = await RunAsync(folder, "--user", analyst.Username);

        Assert.Equal(ImportCommand.Failed, exitCode);
        Assert.Contains("read-only", error);
    }
}

internal static class DatabaseFixtureQueries
{
    public static async Task<T> ScalarAsync<T>(this DatabaseFixture db, string sql, object? args = null)
    {
        await using var connection = await db.OpenAsync();
        return (await Dapper.SqlMapper.ExecuteScalarAsync<T>(connection, sql, args))!;
    }

    public static async Task<T> QuerySingleAsync<T>(this DatabaseFixture db, string sql, object? args = null)
    {
        await using var connection = await db.OpenAsync();
        return await Dapper.SqlMapper.QuerySingleAsync<T>(connection, sql, args);
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this DatabaseFixture db, string sql, object? args = null)
    {
        await using var connection = await db.OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<T>(connection, sql, args)).ToList();
    }
}
