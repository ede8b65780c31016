using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Ingest;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImsCrawler.Benchmarks.Hostile;

/// <summary>
/// Large documents (run by hand, not in CI). See docs/benchmarks.md, "Hostile text".
/// <code>dotnet run -c Release --project bench/ImsCrawler.Benchmarks -- hostile --database [--cjk 10000,30000,100000]</code>
/// On a fresh migrated database: ims.cjk_bigram_vector (sql/14, one pass) against sql/04's definition, created under
/// another name in the same run, on one Korean run of each length (sql/04's is skipped past 30,000 characters);
/// then the API's ingest path (IngestService, in-process) of one issue whose description passes the tsvector limit,
/// the same batch again, and an issue with a 1 MB Korean description.
/// </summary>
public static class LargeDocumentBenchmark
{
    private const int OriginalLimit = 30_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var lengths = Option(args, "--cjk", "10000,30000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine("Starting PostgreSQL and migrating a fresh database ...");
        var server = await PostgresServer.GetAsync();
        var connectionString = server.ConnectionStringFor(await server.CloneTemplateAsync());
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(ReferenceDocumentBuild.CreateFunctions);
            foreach (var length in lengths)
            {
                var text = Korean(length);
                var current = await TimeAsync(() => connection.ExecuteScalarAsync<int>("select length(ims.cjk_bigram_vector(@text))", new { text }, commandTimeout: 0));
                var original = length <= OriginalLimit
                    ? await TimeAsync(() => connection.ExecuteScalarAsync<int>("select length(pg_temp.old_cjk_bigram_vector(@text))", new { text }, commandTimeout: 0))
                    : (TimeSpan?)null;
                Console.WriteLine($"  cjk_bigram_vector, {length} characters: sql/14 {Format(current)}, sql/04 {(original is { } o ? Format(o) : "skipped")}"
                                  + (original is { } b ? $" (ratio {b / current:0})" : ""));
            }
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(dataSource);
        services.AddIngest(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ingest:MaxBytes"] = "67108864" }).Build());
        await using var provider = services.BuildServiceProvider();
        var ingest = provider.GetRequiredService<IngestService>();
        var (user, session) = await SessionAsync(dataSource);
        var words = string.Join(' ', Enumerable.Range(0, 100_000).Select(i => $"w{i:x}q{(i * 7919) % 100_003:x}"));
        var hostileDetails = new string(' ', 500_000) + "a changed from" + new string(' ', 500_000) + "x";
        var cases = new (string Label, string Id, string Description, string Details)[]
        {
            ("100k distinct words (3.3 MB)", "BENCH-BIG", words, "Status changed from Open to Closed"),
            ("same batch again", "BENCH-BIG", words, "Status changed from Open to Closed"),
            ("1 MB of Korean", "BENCH-KO", Korean(333_333), "Status changed from Open to Closed"),
            ("1 MB of hostile history details", "BENCH-HISTORY", "short", hostileDetails),
        };
        foreach (var (label, id, description, details) in cases)
        {
            var issue = new JsonObject
            {
                ["issue_id"] = id, ["title"] = "Large document", ["description"] = description,
                ["history"] = new JsonArray(new JsonObject { ["date"] = "2024-01-15 10:00", ["user"] = "eng", ["details"] = details }),
            };
            var json = new JsonArray(issue).ToJsonString();
            IngestOutcome? outcome = null;
            IngestBatch? batch = null;
            // Parse, map (history details included) and write: the request's work past HTTP.
            var elapsed = await TimeAsync(async () =>
            {
                using var document = System.Text.Json.JsonDocument.Parse(json);
                batch = ingest.CreateMapper().Map(document.RootElement.EnumerateArray()).Batch;
                return outcome = await ingest.IngestAsync(user, session, batch, CancellationToken.None);
            });
            Console.WriteLine($"  ingest, {label}: {Format(elapsed)}, {outcome!.Status}, {batch!.Warnings.Count} warning(s): {batch.Warnings.FirstOrDefault()}");
        }
        return 0;
    }

    private static async Task<(DatabaseUser User, string Session)> SessionAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var userId = await connection.ExecuteScalarAsync<int>("insert into ims.users (username, role) values ('bench-' || gen_random_uuid(), 'user') returning user_id");
        var uuid = Guid.NewGuid().ToString();
        await connection.ExecuteAsync("insert into ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) values (@uuid, @userId, 'OpenFrame', 'bench', 'bench')", new { uuid, userId });
        return (new DatabaseUser(userId, DatabaseUser.User), uuid);
    }

    private static string Korean(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
            text.Append((char)(0xAC00 + (int)((long)i * 7919 % 11172)));
        return text.ToString();
    }

    private static async Task<TimeSpan> TimeAsync<T>(Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }

    private static string Format(TimeSpan elapsed) => elapsed.TotalSeconds >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0} ms");

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

}
