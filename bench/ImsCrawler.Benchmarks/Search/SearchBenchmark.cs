using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Dapper;
using ImsCrawler.Api.Analytics;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Issues;
using ImsCrawler.Api.Search;
using ImsCrawler.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImsCrawler.Benchmarks.Search;

/// <summary>
/// Search and dashboard benchmark (run by hand, not in CI). See docs/benchmarks.md, "Search".
/// <code>dotnet run -c Release --project bench/ImsCrawler.Benchmarks -- search [--issues 100000] [--sessions 10000] [--runs 200] [--baseline-runs 5] [--keep]</code>
/// Generates the issues set-based in SQL (mixed Korean / English / Japanese text, two comments each, attachment text
/// on every tenth) with planted terms of known frequency, then times the API's search handler
/// (<see cref="SearchEndpoints.SearchIssues"/>, called in-process with an authenticated HttpContext: validation, one
/// transaction as ims_user with RLS, ranked page, snippets, recording) against the original search_issues logic on
/// the same data, and the dashboard handler and get_user_stats for a user with many sessions.
/// PostgreSQL: IMS_BENCH_CONNECTION (a superuser connection string) or a throwaway local cluster.
/// </summary>
public static class SearchBenchmark
{
    // Planted terms: (label, query, expected hits as a function of the issue count).
    private static (string Label, string Query, Func<int, int> Expected)[] Terms =>
    [
        ("selective code (~10 hits)", "OFCBX9021", _ => 10),
        ("selective Korean (~10 hits)", "롤백세그먼트가", _ => 10),
        ("medium (~1%)", "deadlock", n => n / 100),
        ("common (~20%)", "timeout", n => n / 5),
    ];

    private static readonly string[] English =
    [
        "server", "batch", "job", "failed", "error", "connection", "refused", "restart", "memory", "leak", "query", "slow",
        "index", "table", "lock", "wait", "thread", "pool", "exhausted", "transaction", "rollback", "commit", "cursor",
        "dataset", "abend", "step", "region", "transaction", "online", "screen", "map", "compile", "link", "module",
        "library", "version", "patch", "upgrade", "install", "license", "cluster", "node", "failover", "replication",
        "listener", "port", "socket", "message", "queue", "buffer", "overflow", "invalid", "parameter", "config",
        "customer", "site", "production", "test", "environment", "log", "trace", "dump", "core", "signal", "kill",
        "performance", "degradation", "response", "time", "increase", "after", "before", "during", "night", "migration",
    ];

    private static readonly string[] Korean =
    [
        "서버", "배치", "작업이", "실패", "오류가", "발생", "접속", "거부", "재기동", "메모리", "누수", "쿼리가", "느림",
        "인덱스", "테이블", "잠금", "대기", "스레드", "트랜잭션", "커밋", "고객사", "운영", "환경에서", "로그", "분석",
        "성능", "저하", "응답", "시간", "증가", "마이그레이션", "설치", "패치", "적용", "후", "확인", "요청", "문의",
    ];

    private static readonly string[] Japanese =
    [
        "サーバー", "バッチ処理", "失敗しました", "エラーが発生", "接続拒否", "再起動", "メモリリーク", "クエリが遅い",
        "インデックス", "テーブル", "ロック待ち", "トランザクション", "顧客環境", "本番環境で", "ログを確認", "性能劣化",
        "応答時間", "移行作業", "パッチ適用", "問い合わせ",
    ];

    private static readonly string[] Codes = ["TPETIME", "SVC99", "OFCOBOL", "JEUS", "TBR-2131", "ORA-01555", "S0C7", "CICS", "VSAM", "JCL"];

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Measure.Arg(args, name, fallback);
        var issueCount = Arg("--issues", 100_000);
        var sessionCount = Arg("--sessions", 10_000);
        var runs = Arg("--runs", 200);
        var baselineRuns = Arg("--baseline-runs", 5);

        var reuse = Measure.ArgText(args, "--database");

        Console.WriteLine("Starting PostgreSQL ...");
        var server = await Measure.ServerAsync();
        var generate = reuse is null || !await server.DatabaseExistsAsync(reuse);
        var databaseName = reuse ?? await server.CloneTemplateAsync();
        if (reuse is not null && generate)
        {
            // A named database is kept between runs (generating 1M issues takes a while): made once, then reused.
            var clone = await server.CloneTemplateAsync();
            await server.ExecuteAsync($"ALTER DATABASE \"{clone}\" RENAME TO \"{reuse}\"");
        }
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionStringFor(databaseName));
        await using (var c = await dataSource.OpenConnectionAsync())
            Console.WriteLine($"PostgreSQL {c.PostgreSqlVersion}, database {databaseName}, {Environment.ProcessorCount} cores, " +
                              $"shared_buffers {await c.ExecuteScalarAsync<string>("show shared_buffers")}, load average {Measure.LoadAverage()}");

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(dataSource);
        services.AddUserDatabase();
        services.AddMetrics();
        await using var provider = services.BuildServiceProvider();
        var database = provider.GetRequiredService<UserDatabase>();
        var telemetry = new SearchTelemetry(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        await DocumentBuildAsync(dataSource, Arg("--document-issues", 2000));
        int userId;
        if (generate)
        {
            var clock = Stopwatch.StartNew();
            await GenerateIssuesAsync(dataSource, issueCount);
            Console.WriteLine($"Generated {issueCount} issues with documents in {clock.Elapsed.TotalSeconds:0} s");
            clock.Restart();
            (userId, var otherSessions) = await GenerateSessionsAsync(dataSource, sessionCount);
            Console.WriteLine($"Generated {sessionCount} sessions for the measured user (+{otherSessions} of other users) in {clock.Elapsed.TotalSeconds:0} s");
            await Execute(dataSource, "VACUUM ANALYZE");
        }
        else
        {
            await using var c = await dataSource.OpenConnectionAsync();
            userId = await c.ExecuteScalarAsync<int>("select user_id from ims.users where username = 'bench-user'");
            issueCount = await c.ExecuteScalarAsync<int>("select count(*) from ims.issues where issue_id like 'BENCH-%'");
            Console.WriteLine($"Reusing {databaseName}: {issueCount} issues");
        }

        await using (var c = await dataSource.OpenConnectionAsync())
        {
            var sizes = await c.QuerySingleAsync<(string Documents, string Heap, string Gin, string Head, string Title, string Issues)>("""
                select pg_size_pretty(pg_total_relation_size('ims.issue_search_documents')),
                       pg_size_pretty(pg_relation_size('ims.issue_search_documents')),
                       pg_size_pretty(pg_relation_size('ims.ix_issue_search_documents_document')),
                       pg_size_pretty(pg_relation_size('ims.ix_issue_search_documents_head')),
                       pg_size_pretty(pg_relation_size('ims.ix_issue_search_documents_title')),
                       pg_size_pretty(pg_total_relation_size('ims.issues'))
                """);
            Console.WriteLine($"Sizes: issues {sizes.Issues}, search rows {sizes.Documents} (heap {sizes.Heap}; GIN document {sizes.Gin}, head {sizes.Head}, title {sizes.Title})");
        }

        var http = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ImsClaims.UserId, userId.ToString(CultureInfo.InvariantCulture)), new Claim(ImsClaims.Role, DatabaseUser.User)], "bench")),
        };
        // As in the Api: first pages are recorded behind the answer, by the running recorder.
        var recorder = new SearchRecorder(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<SearchRecorder>.Instance);
        await recorder.StartAsync(CancellationToken.None);
        async Task<SearchPage> Search(SearchRequest request) =>
            ((Ok<SearchPage>)(await SearchEndpoints.SearchIssues(request, http, database, recorder, telemetry, CancellationToken.None)).Result).Value!;
        var rows = new List<string>();
        foreach (var (label, query, expected) in Terms)
        {
            var request = new SearchRequest(query, null, null, null, null, null, null, 20);
            long total = 0;
            var estimate = false;
            var api = await TimeAsync(runs, async () =>
            {
                var page = await Search(request);
                (total, estimate) = (page.Total, page.TotalIsEstimate);
            });
            var baselineHits = 0;
            var baseline = baselineRuns == 0 ? new Measure.Timing(0, 0, 0) : await TimeAsync(baselineRuns, async () =>
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                baselineHits = (await connection.QueryAsync<long>(new CommandDefinition(OriginalSearch, new { q = query }, commandTimeout: 0))).Count();
            }, warmup: 1);
            var line = $"| {label} | `{query}` | {total}{(estimate ? " (estimate)" : "")} (planted {expected(issueCount)}) | {api.P50:0.0} | {api.P95:0.0} | {api.P99:0.0} | " +
                       $"{baselineHits} | {baseline.P50:0} | {baseline.P95:0} | {(baseline.P95 == 0 ? "-" : $"{baseline.P95 / api.P95:0}x")} |";
            rows.Add(line);
            Console.WriteLine(line);
        }

        // The issue's other cases: a broad term with a family filter, deep pages, typed queries, facets, similar issues.
        var cases = new List<string>();
        async Task Case(string label, SearchRequest request, int page = 1)
        {
            var cursor = request.Cursor;
            for (var p = 1; p < page; p++)
                cursor = (await Search(request with { Cursor = cursor })).NextCursor;
            var timed = request with { Cursor = cursor };
            SearchPage? last = null;
            var t = await TimeAsync(runs, async () => last = await Search(timed));
            var line = $"| {label} | `{request.Q}`{(request.Product is null ? "" : $" product={request.Product}")}{(request.Facets is null ? "" : $" facets={request.Facets}")} | {page} | " +
                       $"{last!.Total}{(last.TotalIsEstimate ? " (estimate)" : "")} | {last.Items.Count} | {t.P50:0.0} | {t.P95:0.0} | {t.P99:0.0} |";
            cases.Add(line);
            Console.WriteLine(line);
        }
        await Case("common (~20%), product family", new SearchRequest("timeout", "OpenFrame", null, null, null, null, null, 20));
        await Case("common (~20%), page 5", new SearchRequest("timeout", null, null, null, null, null, null, 20), page: 5);
        await Case("common (~20%), family, page 5", new SearchRequest("timeout", "OpenFrame", null, null, null, null, null, 20), page: 5);
        await Case("common (~20%), page 50", new SearchRequest("timeout", null, null, null, null, null, null, 20), page: 50);
        await Case("medium (~1%), page 5", new SearchRequest("deadlock", null, null, null, null, null, null, 20), page: 5);
        await Case("common (~20%) with facets", new SearchRequest("timeout", null, null, null, null, null, null, 20, "product,status"));
        await Case("selective with facets", new SearchRequest("OFCBX9021", null, null, null, null, null, null, 20, "product,status"));
        await Case("typed: product + intent words", new SearchRequest("Tibero timeout 해결 방법", null, null, null, null, null, null, 20));
        await Case("broad Korean word (~5%)", new SearchRequest("서버", null, null, null, null, null, null, 20));

        var similarIds = Enumerable.Range(1, 20).Select(k => $"BENCH-{k * (issueCount / 21)}").ToArray();
        var next = 0;
        var similarCount = 0;
        var similar = await TimeAsync(runs, async () =>
        {
            var result = await IssuesEndpoints.GetSimilarIssues(similarIds[next++ % similarIds.Length], 10, http, database, CancellationToken.None);
            similarCount = ((Ok<SimilarIssuesPage>)result.Result).Value!.Items.Count;
        });
        cases.Add($"| similar issues (20 different issues) | `GET /api/issues/{{id}}/similar?limit=10` | - | - | {similarCount} | {similar.P50:0.0} | {similar.P95:0.0} | {similar.P99:0.0} |");
        Console.WriteLine(cases[^1]);

        var dashboard = await TimeAsync(runs, async () => await AnalyticsEndpoints.GetDashboard(http, database, CancellationToken.None));
        var caller = new DatabaseUser(userId, DatabaseUser.User);
        var stats = await TimeAsync(runs, () => database.ReadAsync(caller, session =>
            session.QuerySingleAsync<dynamic>("select * from ims.get_user_stats(@userId)", new { userId }), CancellationToken.None));
        var view = await TimeAsync(runs, () => database.ReadAsync(caller, session =>
            session.QuerySingleAsync<dynamic>("select * from ims.v_user_dashboard where user_id = @userId", new { userId }), CancellationToken.None));

        Console.WriteLine();
        Console.WriteLine($"## {issueCount} issues, {Environment.ProcessorCount} cores");
        Console.WriteLine("| term | query | hits (API total) | API p50 ms | API p95 ms | API p99 ms | original hits (LIMIT 100) | original p50 ms | original p95 ms | p95 speed-up |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| case | query | page | total | hits | p50 ms | p95 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        cases.ForEach(Console.WriteLine);
        Console.WriteLine($"load average at the end: {Measure.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"| dashboard read ({sessionCount} sessions) | p50 ms | p95 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| GET /api/dashboard handler (view + stats + recent activity, one transaction) | {dashboard.P50:0.0} | {dashboard.P95:0.0} | {dashboard.P99:0.0} |");
        Console.WriteLine($"| get_user_stats alone | {stats.P50:0.0} | {stats.P95:0.0} | {stats.P99:0.0} |");
        Console.WriteLine($"| v_user_dashboard alone | {view.P50:0.0} | {view.P95:0.0} | {view.P99:0.0} |");

        if (args.Contains("--keep") || reuse is not null)
            Console.WriteLine($"Kept database {databaseName}.");
        else
            await server.DropDatabaseAsync(databaseName);
        return 0;
    }

    /// <summary>
    /// The current document build (sql/18: native or portable bigrams) against the one of sql/04 (kept here verbatim), on the ingest benchmark's ~2 KB
    /// issues (<see cref="IssueGenerator"/>: Korean, Japanese and English in turn): best of 5 runs over the same rows,
    /// and the number of documents that differ (must be 0).
    /// </summary>
    private static async Task DocumentBuildAsync(NpgsqlDataSource dataSource, int count)
    {
        if (count <= 0)
            return;
        var issues = Enumerable.Range(0, count).Select(IssueGenerator.Issue).ToList();
        static string Text(System.Text.Json.Nodes.JsonNode? node) => node?.GetValue<string>() ?? "";
        var titles = issues.Select(i => Text(i["title"])).ToArray();
        var descriptions = issues.Select(i => Text(i["description"])).ToArray();
        var comments = issues.Select(i => string.Join('\n', i["comments"]!.AsArray().Select(c => Text(c!["content"])))).ToArray();
        var attachments = issues.Select(i => string.Join('\n', i["attachments"]!.AsArray().Select(a => Text(a!["extracted_text"])))).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(ReferenceDocumentBuild.CreateFunctions);
        await connection.ExecuteAsync("""
            create temp table document_texts as
            select * from unnest(@titles, @descriptions, @comments, @attachments) as t(title, description, comments, attachments)
            """, new { titles, descriptions, comments, attachments });
        var bytes = await connection.ExecuteScalarAsync<double>(
            "select avg(octet_length(title) + octet_length(description) + octet_length(comments) + octet_length(attachments)) from document_texts");
        const string oldDocument = """
            pg_temp.old_text_search_vector(title, 'A') || pg_temp.old_text_search_vector(description, 'B')
            || pg_temp.old_text_search_vector(comments, 'C') || pg_temp.old_text_search_vector(attachments, 'D')
            """;
        const string newDocument = """
            ims.text_search_vector(title, 'A') || ims.text_search_vector(description, 'B')
            || ims.text_search_vector(comments, 'C') || ims.text_search_vector(attachments, 'D')
            """;
        async Task<double> Best(string document)
        {
            var best = double.MaxValue;
            for (var run = 0; run < 6; run++)
            {
                var start = Stopwatch.GetTimestamp();
                await connection.ExecuteScalarAsync<long>($"select sum(length({document})) from document_texts");
                if (run > 0)
                    best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            return best;
        }
        var old = await Best(oldDocument);
        var current = await Best(newDocument);
        var differing = await connection.ExecuteScalarAsync<long>(
            $"select count(*) from document_texts where ({oldDocument}) is distinct from ({newDocument})");
        // sql/18: the C extension ims_cjk_bigrams where the server has it, else the SQL definition.
        var bigrams = await connection.ExecuteScalarAsync<bool>(
            "select prosrc like '%cjk_bigram_vector_native%' from pg_proc where oid = 'ims.cjk_bigram_vector(text)'::regprocedure")
            ? "native bigrams" : "portable bigrams";
        Console.WriteLine($"| document build, {count} issues of {bytes:0} bytes of text | sql/04: {old / count * 1000:0} µs per issue | " +
                          $"current ({bigrams}): {current / count * 1000:0} µs per issue | {old / current:0.00}x cheaper | {differing} documents differ | load {Measure.LoadAverage()} |");
    }

    // The original search_issues: English only, title || description, no usable index (the expression is not indexed).
    private const string OriginalSearch = """
        select i.issue_pk
        from ims.issues i
        where to_tsvector('english', i.title || ' ' || coalesce(i.description, '')) @@ plainto_tsquery('english', @q)
        order by ts_rank(to_tsvector('english', i.title || ' ' || coalesce(i.description, '')), plainto_tsquery('english', @q)) desc
        limit 100
        """;

    internal static async Task GenerateIssuesAsync(NpgsqlDataSource dataSource, int count)
    {
        var words = English.Concat(Korean).Concat(Japanese).Concat(Codes).ToArray();
        var rare = Math.Max(count / 10, 1);
        await using var connection = await dataSource.OpenConnectionAsync();
        // Triggers off while loading (superuser): the documents are built below in chunks, set-based, by the same
        // function the triggers call.
        await connection.ExecuteAsync("SET session_replication_role = replica");
        await connection.ExecuteAsync("""
            insert into ims.issues (issue_id, title, description, product, status, priority, severity, registered_date, modified_date)
            select 'BENCH-' || n,
                   case when n % 100 = 7 then 'deadlock ' else '' end
                     || (select string_agg(@words[1 + (hashint4(n * 31 + k) & 2147483647) % cardinality(@words)], ' ')
                         from generate_series(1, 5 + n % 6) as k),
                   case when n % 5 = 0 then 'timeout ' else '' end
                     || case when n % @rare = 3 then 'OFCBX9021 ' else '' end
                     || (select string_agg(@words[1 + (hashint4(n * 131 + k) & 2147483647) % cardinality(@words)], ' ')
                         from generate_series(1, 30 + n % 40) as k),
                   (array['OpenFrame', 'OpenFrame Batch', 'OpenFrame OSC', 'Tibero', 'JEUS', 'ProObject'])[1 + n % 6],
                   (array['Open', 'Assigned', 'Resolved', 'Closed', '종료', '完了'])[1 + n % 6],
                   (array['High', 'Medium', 'Low', 'Critical'])[1 + n % 4],
                   (array['Major', 'Minor', 'Critical'])[1 + n % 3],
                   now() - make_interval(hours => n % 20000),
                   now() - make_interval(hours => n % 10000)
            from generate_series(1, @count) as n
            """, new { words, rare, count }, commandTimeout: 0);
        await connection.ExecuteAsync("""
            insert into ims.issue_comments (issue_pk, comment_number, author, content, commented_at)
            select i.issue_pk, k, 'engineer' || (i.issue_pk % 50),
                   case when k = 2 and i.issue_pk % @rare = 5 then '롤백세그먼트 ' else '' end
                     || (select string_agg(@words[1 + (hashint4(((i.issue_pk * 7 + k) * 17 + j)::int) & 2147483647) % cardinality(@words)], ' ')
                         from generate_series(1, 10 + (i.issue_pk % 20)::int) as j),
                   i.modified_date
            from ims.issues i cross join generate_series(1, 2) as k
            where i.issue_id like 'BENCH-%'
            """, new { words, rare }, commandTimeout: 0);
        await connection.ExecuteAsync("""
            insert into ims.attachments (issue_pk, filename, extracted_text, text_extracted, downloaded)
            select i.issue_pk, 'trace.log',
                   (select string_agg(@words[1 + (hashint4(i.issue_pk::int * 13 + j) & 2147483647) % cardinality(@words)], ' ')
                    from generate_series(1, 200) as j),
                   true, true
            from ims.issues i where i.issue_pk % 10 = 0 and i.issue_id like 'BENCH-%'
            """, new { words }, commandTimeout: 0);
        await connection.ExecuteAsync("SET session_replication_role = origin");
        // The issues' statement triggers were off: note the product families as they would have.
        await connection.ExecuteAsync("select ims.note_search_product_families(array(select distinct product from ims.issues))");
        var max = await connection.ExecuteScalarAsync<long>("select max(issue_pk) from ims.issues");
        const int chunk = 20_000;
        for (long from = 1; from <= max; from += chunk)
            await connection.ExecuteAsync("select ims.refresh_issue_search_documents(array(select issue_pk from ims.issues where issue_pk between @from and @to))",
                new { from, to = from + chunk - 1 }, commandTimeout: 0);
    }

    /// <summary>The measured user with <paramref name="count"/> sessions (5 linked issues and 1 search each, 30 in the last
    /// 30 days), and 50 other users with count/10 sessions each.</summary>
    private static async Task<(int UserId, int OtherSessions)> GenerateSessionsAsync(NpgsqlDataSource dataSource, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var userId = await connection.ExecuteScalarAsync<int>("insert into ims.users (username, role) values ('bench-user', 'user') returning user_id");
        var others = await connection.QueryAsync<int>(
            "insert into ims.users (username, role) select 'bench-other-' || n, 'user' from generate_series(1, 50) as n returning user_id");
        var owners = new[] { (userId, count) }.Concat(others.Select(id => (id, count / 10))).ToArray();
        var issues = await connection.ExecuteScalarAsync<long>("select max(issue_pk) from ims.issues");
        foreach (var (owner, sessions) in owners)
        {
            await connection.ExecuteAsync("""
                insert into ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query, status, started_at,
                    completed_at, duration_seconds, issues_crawled, attachments_downloaded, total_issues_found)
                select gen_random_uuid()::text, @owner, (array['OpenFrame', 'Tibero', 'JEUS'])[1 + n % 3], 'query ' || (n % 200),
                       'query ' || (n % 200), case when n % 10 = 0 then 'failed' else 'completed' end,
                       now() - make_interval(hours => n * 2), now() - make_interval(hours => n * 2) + interval '5 minutes',
                       300, 5, 1, 5
                from generate_series(1, @sessions) as n
                """, new { owner, sessions }, commandTimeout: 0);
            await connection.ExecuteAsync("""
                insert into ims.session_issues (session_id, issue_pk, crawl_order)
                select cs.session_id, 1 + (hashint8(cs.session_id * 5 + k) & 9223372036854775807) % @issues, k
                from ims.crawl_sessions cs cross join generate_series(1, 5) as k
                where cs.user_id = @owner
                on conflict do nothing;
                insert into ims.search_queries (user_id, session_id, original_query, results_count, queried_at)
                select cs.user_id, cs.session_id, cs.original_query, 5, cs.started_at from ims.crawl_sessions cs where cs.user_id = @owner;
                """, new { owner, issues }, commandTimeout: 0);
        }
        return (userId, owners.Skip(1).Sum(o => o.Item2));
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, commandTimeout: 0);
    }

    private static Task<Measure.Timing> TimeAsync(int runs, Func<Task> work, int warmup = 5) => Measure.TimeAsync(runs, work, warmup);
}
