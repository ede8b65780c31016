using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Ingest;
using ImsCrawler.Benchmarks;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// Ingest benchmark (run by hand, not in CI). See docs/benchmarks.md.
//   dotnet run -c Release --project bench/ImsCrawler.Benchmarks -- [--issues 10000] [--batch 1000] [--baseline-issues 2000]
// PostgreSQL: a throwaway local cluster (tests/ImsCrawler.TestSupport), or the server that
// IMS_BENCH_CONNECTION names (a superuser connection string); a fresh migrated database either way.

// `search`: the search and dashboard benchmark (bench/ImsCrawler.Benchmarks/Search, docs/benchmarks.md "Search").
if (args is ["search", ..]) return await ImsCrawler.Benchmarks.Search.SearchBenchmark.RunAsync(args[1..]);
// `web`: server-side render time of the search page and page weights (bench/ImsCrawler.Benchmarks/Web, docs/benchmarks.md "Web").
if (args is ["web", ..]) return await ImsCrawler.Benchmarks.Web.WebBenchmark.RunAsync(args[1..]);
// `load`: crawlers and searchers together against a running deployment (bench/ImsCrawler.Benchmarks/Load, docs/benchmarks.md "Load").
if (args is ["load", ..]) return await ImsCrawler.Benchmarks.Load.LoadTest.RunAsync(args[1..]);
// `startup`: seconds from `dotnet run --project ImsCrawler.AppHost` to an answering /api/status (docs/benchmarks.md "Start-up").
if (args is ["startup", ..]) return await ImsCrawler.Benchmarks.Startup.StartupBenchmark.RunAsync(args[1..]);
// `hostile`: the parsers of the ingest path on hostile text (docs/benchmarks.md "Hostile text"); no database.
if (args is ["hostile", "--database", ..]) return await ImsCrawler.Benchmarks.Hostile.LargeDocumentBenchmark.RunAsync(args[2..]);
if (args is ["hostile", ..]) return ImsCrawler.Benchmarks.Hostile.HostileTextBenchmark.Run(args[1..]);

int Arg(string name, int fallback) => Measure.Arg(args, name, fallback);
var issueCount = Arg("--issues", 10_000);
var batchSize = Arg("--batch", 1000);
var baselineCount = Math.Min(issueCount, Arg("--baseline-issues", 2000));

Console.WriteLine("Starting PostgreSQL and migrating a fresh database ...");
var server = await Measure.ServerAsync();
var databaseName = await server.CloneTemplateAsync();
var connectionString = server.ConnectionStringFor(databaseName);
await using var dataSource = NpgsqlDataSource.Create(connectionString);
await using (var c = await dataSource.OpenConnectionAsync())
    Console.WriteLine($"PostgreSQL {c.PostgreSqlVersion}, database {databaseName}, {Environment.ProcessorCount} cores");

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Ingest:MaxItems"] = batchSize.ToString(CultureInfo.InvariantCulture),
    ["Ingest:MaxBytes"] = (256L * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
}).Build();
var services = new ServiceCollection();
services.AddLogging();
services.AddSingleton(dataSource);
services.AddIngest(configuration);
await using var provider = services.BuildServiceProvider();
var ingest = provider.GetRequiredService<IngestService>();

// Data: the same issues for every path.
Console.WriteLine($"Generating {issueCount} issues ...");
var payloads = Enumerable.Range(0, issueCount).Chunk(batchSize)
    .Select(chunk => Encoding.UTF8.GetBytes(new JsonArray(chunk.Select(n => (JsonNode)IssueGenerator.Issue(n)).ToArray()).ToJsonString()))
    .ToList();
var mappedAll = new List<IngestBatch>();
var ordOffset = 0;
foreach (var payload in payloads)
{
    using var body = await CrawledIssueReader.ReadAsync(new MemoryStream(payload), CrawledIssueReader.Format.Json, ingest.Options, CancellationToken.None);
    mappedAll.Add(ingest.CreateMapper().Map(body.Items, ordOffset).Batch);
    ordOffset += body.Items.Count;
}
var textBytes = payloads.Sum(p => (long)p.Length) / issueCount;
Console.WriteLine($"  {payloads.Count} batches, {textBytes} bytes of JSON per issue, " +
                  $"{mappedAll.Sum(b => b.Comments.Count) / issueCount} comments, {mappedAll.Sum(b => b.History.Count) / issueCount} history rows, " +
                  $"{mappedAll.Sum(b => b.Attachments.Count) / issueCount} attachment per issue");

string[] tables = ["issues", "issue_comments", "issue_history", "attachments", "session_issues", "issue_search_documents"];
async Task<T> Owner<T>(Func<NpgsqlConnection, Task<T>> work)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    return await work(connection);
}
Task Sql(string sql) => Owner(c => c.ExecuteAsync(sql, commandTimeout: 0, commandType: System.Data.CommandType.Text));
async Task Reset()
{
    await Sql("TRUNCATE ims.issues, ims.issue_comments, ims.issue_history, ims.attachments, ims.session_issues, ims.issue_search_documents RESTART IDENTITY CASCADE");
    await Sql("CHECKPOINT");
}
Task<Dictionary<string, long>> Sizes() => Owner(async c =>
    (await c.QueryAsync<(string, long)>("SELECT t, pg_total_relation_size(('ims.' || t)::regclass) FROM unnest(@tables) AS t", new { tables }))
    .ToDictionary(x => x.Item1, x => x.Item2));

var userId = await Owner(c => c.ExecuteScalarAsync<int>(
    "INSERT INTO ims.users (username, role) VALUES ('bench-' || gen_random_uuid(), 'user') RETURNING user_id"));
var user = new DatabaseUser(userId, DatabaseUser.User);
Task<(long Id, string Uuid)> NewSession() => Owner(async c =>
{
    var uuid = Guid.NewGuid().ToString();
    var id = await c.ExecuteScalarAsync<long>(
        "INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) VALUES (@uuid, @userId, 'OpenFrame', 'bench', 'bench') RETURNING session_id",
        new { uuid, userId });
    return (id, uuid);
});

var results = new List<(string Path, int Issues, double Seconds)>();
void Record(string path, int issues, TimeSpan elapsed)
{
    results.Add((path, issues, elapsed.TotalSeconds));
    Console.WriteLine($"  {path}: {issues} issues in {elapsed.TotalSeconds:0.00} s = {issues / elapsed.TotalSeconds:0} issues/s");
}

// (a) The API's bulk ingest path, in-process: JSON bytes → reader → mapper → IngestService (one
//     transaction per batch as ims_user with RLS, through UserDatabase) → staging COPY + upserts.
await Reset();
var (_, sessionA) = await NewSession();
var steps = new Dictionary<string, double>();
async Task<TimeSpan> IngestAll(string session, Dictionary<string, double>? stepTotals)
{
    var clock = Stopwatch.StartNew();
    var parseMs = 0.0;
    foreach (var payload in payloads)
    {
        var parse = Stopwatch.StartNew();
        using var body = await CrawledIssueReader.ReadAsync(new MemoryStream(payload), CrawledIssueReader.Format.Json, ingest.Options, CancellationToken.None);
        var mapped = ingest.CreateMapper().Map(body.Items);
        parseMs += parse.Elapsed.TotalMilliseconds;
        var outcome = await ingest.IngestAsync(user, session, mapped.Batch, CancellationToken.None);
        if (outcome.Status != IngestStatus.Done)
            throw new InvalidOperationException(outcome.Status.ToString());
        if (stepTotals is not null)
            foreach (var (step, ms) in outcome.Counts!.StepMilliseconds)
                stepTotals[step] = stepTotals.GetValueOrDefault(step) + ms;
    }
    stepTotals?.Add("parse+map (C#)", parseMs);
    return clock.Elapsed;
}
Console.WriteLine("(a) API bulk ingest path ...");
Record("(a) API bulk ingest (in-process, as ims_user)", issueCount, await IngestAll(sessionA, steps));
var counts = await Owner(c => c.QuerySingleAsync<(long, long, long, long, long)>(
    "SELECT (SELECT count(*) FROM ims.issues), (SELECT count(*) FROM ims.issue_comments), (SELECT count(*) FROM ims.issue_history), (SELECT count(*) FROM ims.attachments), (SELECT count(*) FROM ims.issue_search_documents)"));
Console.WriteLine($"  rows: {counts.Item1} issues, {counts.Item2} comments, {counts.Item3} history, {counts.Item4} attachments, {counts.Item5} search documents");

// (a') The same issues again, unchanged, into the same session (a retried crawl): nothing may grow.
await Sql("CHECKPOINT");
var before = await Sizes();
Console.WriteLine("(a') re-ingest unchanged ...");
var retryTime = await IngestAll(sessionA, null);
Record("(a') re-ingest of the same issues, unchanged", issueCount, retryTime);
var after = await Sizes();

// (b) Raw binary COPY of the same mapped rows into the same tables (owner, keys assigned up front).
await Reset();
var (sessionB, _) = await NewSession();
Console.WriteLine("(b) raw binary COPY into the same tables ...");
var clockB = Stopwatch.StartNew();
await Owner(async c =>
{
    long pk = 1;
    foreach (var batch in mappedAll)
    {
        await RawWriters.CopyAsync(c, "ims", sessionB, batch, pk);
        pk += batch.Issues.Count;
    }
    return 0;
});
Record("(b) raw binary COPY, same tables (ceiling)", issueCount, clockB.Elapsed);

// (c) The original crawler's per-issue pattern on the same tables (owner, one transaction per issue).
await Reset();
var (sessionC, _) = await NewSession();
var baselineBatch = Subset(mappedAll, baselineCount);
Console.WriteLine($"(c) per-issue pattern on the same tables ({baselineCount} issues) ...");
var clockC = Stopwatch.StartNew();
await Owner(async c => { await RawWriters.PerIssueAsync(c, "ims", sessionC, baselineBatch); return 0; });
Record("(c) original per-issue pattern, same tables (baseline)", baselineCount, clockC.Elapsed);

// (b') and (c') on a copy of the tables with the original's index set and no search documents.
await Reset();
await Sql(OriginalSchema.Create);
await Sql("CHECKPOINT");
Console.WriteLine("(b') raw binary COPY into the original's index set ...");
var clockB2 = Stopwatch.StartNew();
await Owner(async c =>
{
    long pk = 1;
    foreach (var batch in mappedAll)
    {
        await RawWriters.CopyAsync(c, "orig", sessionB, batch, pk);
        pk += batch.Issues.Count;
    }
    return 0;
});
Record("(b') raw binary COPY, original's index set", issueCount, clockB2.Elapsed);
await Sql(OriginalSchema.Truncate);
await Sql("CHECKPOINT");
Console.WriteLine($"(c') per-issue pattern on the original's index set ({baselineCount} issues) ...");
var clockC2 = Stopwatch.StartNew();
await Owner(async c => { await RawWriters.PerIssueAsync(c, "orig", sessionC, baselineBatch); return 0; });
Record("(c') original per-issue pattern, original's index set", baselineCount, clockC2.Elapsed);

// Report.
double Rate(string prefix) => results.First(r => r.Path.StartsWith(prefix, StringComparison.Ordinal)) is var r ? r.Issues / r.Seconds : 0;
var report = new StringBuilder();
report.AppendLine();
report.AppendLine($"| path | issues | seconds | issues/s |");
report.AppendLine($"|---|---:|---:|---:|");
foreach (var r in results)
    report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Path} | {r.Issues} | {r.Seconds:0.00} | {r.Issues / r.Seconds:0} |");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"| ratio | value | target |");
report.AppendLine($"|---|---:|---|");
report.AppendLine(CultureInfo.InvariantCulture, $"| a/b (bulk ingest vs raw COPY, same tables) | {Rate("(a)") / Rate("(b)"):0.00} | >= 0.5 |");
report.AppendLine(CultureInfo.InvariantCulture, $"| a/c (bulk ingest vs per-issue pattern, same tables) | {Rate("(a)") / Rate("(c)"):0.0} | >= 3 |");
report.AppendLine(CultureInfo.InvariantCulture, $"| a/c' (bulk ingest vs per-issue pattern on the original's indexes) | {Rate("(a)") / Rate("(c')"):0.0} | |");
report.AppendLine(CultureInfo.InvariantCulture, $"| b/b' (COPY: our indexes + search documents vs the original's indexes) | {Rate("(b)") / Rate("(b')"):0.00} | |");
report.AppendLine(CultureInfo.InvariantCulture, $"| b'/c' (COPY vs per-issue, both on the original's indexes) | {Rate("(b')") / Rate("(c')"):0.0} | |");
report.AppendLine();
report.AppendLine("| table | bytes before re-ingest | bytes after | growth |");
report.AppendLine("|---|---:|---:|---:|");
foreach (var t in tables)
    report.AppendLine(CultureInfo.InvariantCulture, $"| ims.{t} | {before[t]} | {after[t]} | {after[t] - before[t]} |");
report.AppendLine();
report.AppendLine("| (a) step | ms total | share |");
report.AppendLine("|---|---:|---:|");
var totalMs = steps.Values.Sum();
foreach (var (step, ms) in steps.OrderByDescending(s => s.Value))
    report.AppendLine(CultureInfo.InvariantCulture, $"| {step} | {ms:0} | {ms / totalMs:P0} |");
Console.WriteLine(report);

await server.DropDatabaseAsync(databaseName);
return 0;

static IngestBatch Subset(List<IngestBatch> batches, int count)
{
    var subset = new IngestBatch();
    foreach (var batch in batches)
    {
        var take = batch.Issues.Take(count - subset.Issues.Count).ToList();
        var ords = take.Select(i => i.Ord).ToHashSet();
        subset.Issues.AddRange(take);
        subset.Comments.AddRange(batch.Comments.Where(c => ords.Contains(c.Ord)));
        subset.History.AddRange(batch.History.Where(h => ords.Contains(h.Ord)));
        subset.Attachments.AddRange(batch.Attachments.Where(a => ords.Contains(a.Ord)));
        if (subset.Issues.Count >= count)
            break;
    }
    return subset;
}
