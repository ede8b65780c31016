using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImsCrawler.Benchmarks.Load;

/// <summary>
/// `load`: crawlers ingesting and engineers searching at the same time, against a running deployment (the AppHost
/// under <c>dotnet run</c>, with whatever replicas it was started with), for a fixed time. Reports throughput and
/// p50/p95/p99 per request kind, errors (must be 0) and the share of the machine's CPU that PostgreSQL used.
/// <code>
/// dotnet run -c Release --project bench/ImsCrawler.Benchmarks -- load --api http://localhost:5180 --key &lt;admin key&gt;
///     [--duration 60] [--crawlers 2] [--searchers 8] [--seed 3000] [--label "1 api, 0 read replicas"]
/// </code>
/// </summary>
public static class LoadTest
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private sealed record Options(Uri Api, string Key, TimeSpan Duration, int Crawlers, int Searchers, int Seed, string Label);

    private sealed class Recorder
    {
        private readonly ConcurrentDictionary<string, ConcurrentBag<double>> latencies = new();
        private readonly ConcurrentDictionary<string, int> errors = new();
        public ConcurrentQueue<string> ErrorSamples { get; } = new();

        public async Task<HttpResponseMessage?> TimeAsync(string kind, Func<Task<HttpResponseMessage>> send)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var response = await send();
                latencies.GetOrAdd(kind, _ => []).Add(clock.Elapsed.TotalMilliseconds);
                if (response.IsSuccessStatusCode)
                    return response;
                Fail(kind, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return null;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                Fail(kind, exception.Message);
                return null;
            }
        }

        private void Fail(string kind, string what)
        {
            errors.AddOrUpdate(kind, 1, (_, count) => count + 1);
            if (ErrorSamples.Count < 10)
                ErrorSamples.Enqueue($"{kind}: {what[..Math.Min(what.Length, 300)]}");
        }

        public IEnumerable<(string Kind, int Count, int Errors, double P50, double P95, double P99)> Summary() =>
            latencies.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair =>
            {
                var sorted = pair.Value.Order().ToArray();
                return (pair.Key, sorted.Length, errors.GetValueOrDefault(pair.Key), Measure.Percentile(sorted, 50), Measure.Percentile(sorted, 95), Measure.Percentile(sorted, 99));
            });

        public int TotalErrors => errors.Values.Sum();
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        using var admin = Client(options, options.Key);
        var runId = DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
        Console.WriteLine($"Load test '{options.Label}' against {options.Api}: {options.Crawlers} crawlers, {options.Searchers} searchers, {options.Duration.TotalSeconds:0} s");
        var crawlerKey = await CreateUserWithKeyAsync(admin, $"load-crawler-{runId}", "user");
        var engineerKey = await CreateUserWithKeyAsync(admin, $"load-engineer-{runId}", "user");
        var firstIssue = int.Parse(runId, CultureInfo.InvariantCulture) % 100_000 * 10_000;

        using var seeder = Client(options, crawlerKey);
        Console.WriteLine($"Seeding {options.Seed} issues through the ingest endpoint ...");
        var seedRecorder = new Recorder();
        for (var start = 0; start < options.Seed; start += 500)
            await CrawlAsync(seeder, seedRecorder, firstIssue + start, Math.Min(500, options.Seed - start), batch: 100);
        if (seedRecorder.TotalErrors > 0)
            throw new InvalidOperationException("Seeding failed: " + string.Join("; ", seedRecorder.ErrorSamples));

        var recorder = new Recorder();
        var nextIssue = firstIssue + options.Seed;
        using var stop = new CancellationTokenSource(options.Duration);
        var cpuBefore = PostgresCpuSeconds();
        var clock = Stopwatch.StartNew();
        var crawlers = Enumerable.Range(0, options.Crawlers).Select(_ => Task.Run(async () =>
        {
            using var client = Client(options, crawlerKey);
            while (!stop.IsCancellationRequested)
                await CrawlAsync(client, recorder, Interlocked.Add(ref nextIssue, 100) - 100, 100, batch: 20);
        }));
        var searchers = Enumerable.Range(0, options.Searchers).Select(worker => Task.Run(async () =>
        {
            using var client = Client(options, engineerKey);
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
                await SearchOnceAsync(client, recorder, random, firstIssue, options.Seed);
        }));
        await Task.WhenAll(crawlers.Concat(searchers));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuShare = (PostgresCpuSeconds() - cpuBefore) / (elapsed * Environment.ProcessorCount);

        Report(options, recorder, elapsed, cpuShare);
        return recorder.TotalErrors == 0 ? 0 : 1;
    }

    // A crawl: a session, `count` issues in batches, completed.
    private static async Task CrawlAsync(HttpClient client, Recorder recorder, int firstIssue, int count, int batch)
    {
        var started = await recorder.TimeAsync("session start", () =>
            client.PostAsJsonAsync("/api/sessions", new { product = "OpenFrame", originalQuery = "batch timeout" }, Json));
        if (started is null)
            return;
        var uuid = (await started.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("sessionUuid").GetString()!;
        for (var n = firstIssue; n < firstIssue + count; n += batch)
        {
            var items = new JsonArray(Enumerable.Range(n, Math.Min(batch, firstIssue + count - n)).Select(i => (JsonNode)IssueGenerator.Issue(i)).ToArray());
            await recorder.TimeAsync($"ingest {batch}", () =>
                client.PostAsync($"/api/sessions/{uuid}/issues", new StringContent(items.ToJsonString(), Encoding.UTF8, "application/json")));
        }
        await recorder.TimeAsync("session complete", () =>
            client.PostAsJsonAsync($"/api/sessions/{uuid}/complete", new { status = "completed" }, Json));
    }

    // The engineers' mix: selective and broad searches, a product family filter, paging to page 5, issue pages, dashboards.
    private static async Task SearchOnceAsync(HttpClient client, Recorder recorder, Random random, int firstIssue, int seeded)
    {
        var issue = firstIssue + random.Next(seeded);
        string[] codes = ["TPETIME", "SVC99", "OFCOBOL", "S0C4", "TBR-2131", "JEUS-0042"];
        switch (random.Next(100))
        {
            case < 30:
                await recorder.TimeAsync("search selective", () => client.GetAsync($"/api/search?q={Uri.EscapeDataString($"{codes[issue % codes.Length]}-{issue % 97}")}"));
                break;
            case < 45:
                await recorder.TimeAsync("search broad", () => client.GetAsync($"/api/search?q={Uri.EscapeDataString(random.Next(2) == 0 ? "timeout" : "타임아웃")}"));
                break;
            case < 55:
                await recorder.TimeAsync("search broad + product", () => client.GetAsync("/api/search?q=timeout&product=OpenFrame"));
                break;
            case < 65:
                await PageAsync(client, recorder);
                break;
            case < 90:
                await recorder.TimeAsync("issue page", () => client.GetAsync($"/api/issues/{300000 + issue}"));
                break;
            default:
                await recorder.TimeAsync("dashboard", () => client.GetAsync("/api/dashboard"));
                break;
        }
    }

    private static async Task PageAsync(HttpClient client, Recorder recorder)
    {
        string? cursor = null;
        for (var page = 1; page <= 5; page++)
        {
            var url = "/api/search?q=timeout" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var response = await recorder.TimeAsync(page == 1 ? "search broad" : "search next page", () => client.GetAsync(url));
            if (response is null)
                return;
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
            if (!body.TryGetProperty("nextCursor", out var next) || next.ValueKind != JsonValueKind.String)
                return;
            cursor = next.GetString();
        }
    }

    private static async Task<string> CreateUserWithKeyAsync(HttpClient admin, string username, string role)
    {
        var created = await admin.PostAsJsonAsync("/api/users", new { username, role }, Json);
        created.EnsureSuccessStatusCode();
        var userId = (await created.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("userId").GetInt32();
        var key = await admin.PostAsJsonAsync($"/api/users/{userId}/keys", new { name = "load test" }, Json);
        key.EnsureSuccessStatusCode();
        return (await key.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("key").GetString()!;
    }

    /// <summary>CPU seconds used so far by every process named postgres on this machine (0 where /proc is missing).</summary>
    private static double PostgresCpuSeconds()
    {
        if (!Directory.Exists("/proc"))
            return 0;
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                if (!stat.AsSpan(stat.IndexOf('(') + 1, close - stat.IndexOf('(') - 1).StartsWith("postgres"))
                    continue;
                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // The process ended while we read it.
            }
        }
        return ticks / 100.0; // USER_HZ
    }

    private static void Report(Options options, Recorder recorder, double elapsed, double cpuShare)
    {
        Console.WriteLine();
        Console.WriteLine($"## {options.Label}: {elapsed:0} s, {options.Crawlers} crawlers, {options.Searchers} searchers, PostgreSQL CPU {cpuShare:P0} of {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| request | count | per s | p50 ms | p95 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (kind, count, errors, p50, p95, p99) in recorder.Summary())
            Console.WriteLine($"| {kind} | {count} | {count / elapsed:0.0} | {p50:0.0} | {p95:0.0} | {p99:0.0} | {errors} |");
        foreach (var sample in recorder.ErrorSamples)
            Console.WriteLine($"error: {sample}");
    }

    private static HttpClient Client(Options options, string key)
    {
        var client = new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new Options(
            new Uri(Value("--api") ?? "http://localhost:5180"),
            Value("--key") ?? Environment.GetEnvironmentVariable("IMS_API_KEY")
                ?? throw new ArgumentException("Give an admin key: --key <key> or IMS_API_KEY (the AppHost's api-admin-key parameter)."),
            TimeSpan.FromSeconds(Number("--duration", 60)),
            Number("--crawlers", 2),
            Number("--searchers", 8),
            Number("--seed", 3000),
            Value("--label") ?? "load");
    }
}
