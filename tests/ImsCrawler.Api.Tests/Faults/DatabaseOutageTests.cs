using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImsCrawler.Api.Problems;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Tests.Ingest;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Hosting;

namespace ImsCrawler.Api.Tests.Faults;

/// <summary>
/// PostgreSQL goes away under load, on a cluster of this class's own. An outage shorter than the retry budget
/// (<see cref="DatabaseRetry.DefaultBudget"/>) is absorbed: four clients ingesting through a restart or a crash see no
/// failed request, and every issue is stored once, linked once, with all its comments. A longer one is a 503 with
/// Retry-After, /health says Unhealthy, and both recover by themselves once the server is back.
/// </summary>
public sealed class DatabaseOutageTests(RestartableDatabaseFixture fixture) : IClassFixture<RestartableDatabaseFixture>
{
    private const int Clients = 4;
    private const int IssuesPerBatch = 6;
    private const int CommentsPerIssue = 3;
    private const int BatchesAfterTheOutage = 2;

    // IMS_FAULT_OUTAGE_SECONDS lengthens the outage by hand to find the longest one absorbed (docs/api.md).
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("IMS_FAULT_OUTAGE_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds : 2);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Four_clients_ingesting_through_a_restart_within_the_budget_see_no_failed_request(bool killed)
    {
        await using var app = ApiFactory.On(fixture.Database);
        var clients = new List<(HttpClient Http, string Session, int Index)>();
        for (var i = 0; i < Clients; i++)
        {
            var user = await TestUsers.CreateAsync(fixture.Database, "user");
            clients.Add((app.CreateClient(user), await CrawledIssues.CreateSessionAsync(fixture.Database, user.UserId), i));
        }
        var run = Guid.NewGuid().ToString("N")[..8];
        var failures = new ConcurrentQueue<string>();
        var sent = new ConcurrentDictionary<int, ConcurrentDictionary<string, bool>>();
        var started = new CountdownEvent(Clients);
        var outageOver = new TaskCompletionSource();

        async Task IngestUntilAfterTheOutageAsync((HttpClient Http, string Session, int Index) client)
        {
            var mine = sent.GetOrAdd(client.Index, _ => new());
            var batchesAfter = 0;
            for (var batch = 0; batchesAfter < BatchesAfterTheOutage; batch++)
            {
                var outageWasOver = outageOver.Task.IsCompleted;
                var issues = Batch(run, client.Index, batch);
                using var response = await client.Http.PostAsync($"/api/sessions/{client.Session}/issues", CrawledIssues.Json([.. issues]));
                if (response.StatusCode != HttpStatusCode.OK)
                    failures.Enqueue($"client {client.Index} batch {batch}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                foreach (var issue in issues)
                    mine[issue["issue_id"]!.GetValue<string>()] = true;
                if (batch == 0)
                    started.Signal();
                if (outageWasOver)
                    batchesAfter++;
            }
        }

        var ingesting = clients.Select(client => Task.Run(() => IngestUntilAfterTheOutageAsync(client))).ToList();
        Assert.True(started.Wait(TimeSpan.FromMinutes(2)), "The clients did not get going.");
        await fixture.OutageAsync(Downtime, immediate: killed);
        outageOver.SetResult();
        await Task.WhenAll(ingesting);

        Assert.Empty(failures);
        Assert.Contains(app.Logs, entry => entry.Message.StartsWith("Transient database fault", StringComparison.Ordinal));
        var allIds = sent.Values.SelectMany(ids => ids.Keys).Distinct().ToArray();
        var stored = await app.QueryAsync<(string IssueId, long Rows, long Comments)>("""
            select i.issue_id, count(*) over (partition by i.issue_id), (select count(*) from ims.issue_comments c where c.issue_pk = i.issue_pk)
            from ims.issues i where i.issue_id = any(@allIds)
            """, new { allIds });
        Assert.Equal(allIds.Order(), stored.Select(row => row.IssueId).Order());
        Assert.All(stored, row => Assert.Equal((1L, (long)CommentsPerIssue), (row.Rows, row.Comments)));
        foreach (var (http, session, index) in clients)
        {
            var links = await app.QueryAsync<string>("""
                select i.issue_id from ims.session_issues l join ims.crawl_sessions s using (session_id) join ims.issues i using (issue_pk)
                where s.session_uuid = @session
                """, new { session });
            Assert.Equal(sent[index].Keys.Order(), links.Order());
            http.Dispose();
        }
    }

    [Fact]
    public async Task An_outage_past_the_budget_is_a_503_with_retry_after_and_the_same_request_then_succeeds()
    {
        await using var app = ApiFactory.On(fixture.Database, new() { [DatabaseRetry.BudgetSetting] = "00:00:01" });
        var user = await TestUsers.CreateAsync(fixture.Database, "user");
        using var client = app.CreateClient(user);
        using var anonymous = app.CreateClient();
        var session = await CrawledIssues.CreateSessionAsync(fixture.Database, user.UserId);
        var issue = CrawledIssues.Small(CrawledIssues.UniqueId("OUT"));
        await WaitForHealthAsync(anonymous, "Healthy");

        await fixture.Cluster.StopAsync();
        HttpResponseMessage refused;
        string health;
        try
        {
            refused = await client.PostAsync($"/api/sessions/{session}/issues", CrawledIssues.Json(issue));
            using var healthResponse = await anonymous.GetAsync("/health");
            health = await healthResponse.Content.ReadAsStringAsync();
        }
        finally
        {
            await fixture.StartAgainAsync();
        }

        var problem = await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(TimeSpan.FromSeconds(DatabaseProblems.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("Unhealthy", health);
        var retried = await (await client.PostAsync($"/api/sessions/{session}/issues", CrawledIssues.Json(issue))).ReadJsonAsync();
        Assert.Equal(1, retried.GetProperty("inserted").GetInt32());
        await WaitForHealthAsync(anonymous, "Healthy");
    }

    /// <summary>Polls /health (the check runs on each request) until it reports <paramref name="status"/>.</summary>
    private static async Task WaitForHealthAsync(HttpClient client, string status)
    {
        var last = "";
        for (var attempt = 0; attempt < 120; attempt++)
        {
            using var response = await client.GetAsync("/health");
            last = await response.Content.ReadAsStringAsync();
            if (last == status)
                return;
            await Task.Delay(250);
        }
        Assert.Fail($"/health stayed {last}, expected {status}.");
    }

    /// <summary>A batch of client <paramref name="client"/>: half its own issues, half shared by all clients of the run.</summary>
    private static List<JsonObject> Batch(string run, int client, int batch) =>
        Enumerable.Range(0, IssuesPerBatch).Select(k =>
        {
            var id = k % 2 == 0 ? $"F{run}-{client}-{batch}-{k}" : $"F{run}-shared-{batch}-{k}";
            var issue = CrawledIssues.Small(id, $"Outage issue {id}");
            issue["comments"] = new JsonArray(Enumerable.Range(1, CommentsPerIssue)
                .Select(n => (JsonNode)new JsonObject { ["action_no"] = n, ["author"] = "eng", ["content"] = $"comment {n} of {id}" }).ToArray());
            issue["crawl_order"] = batch * IssuesPerBatch + k + 1;
            return issue;
        }).ToList();
}
