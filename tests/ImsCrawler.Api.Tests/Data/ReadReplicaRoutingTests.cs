using System.Net;
using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Tests.Ingest;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ImsCrawler.Api.Tests.Data;

/// <summary>
/// Read-only work (issues, similar issues, dashboard, analytics, search) on a real streaming standby of the test cluster
/// (<see cref="PostgresStandby"/>), as <c>ConnectionStrings:imsdb-read</c>: served there while it keeps up, bypassed
/// for the primary when it lags or is down, and never for a user who just wrote. The standby is shared by the whole
/// test process, so the tests here run one after the other and leave it replaying and running.
/// </summary>
public sealed class ReadReplicaRoutingTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private PostgresStandby standby = null!;

    public async Task InitializeAsync()
    {
        standby = await PostgresStandby.GetSharedAsync();
        await standby.StartAsync();
        await standby.ResumeReplayAsync();
        await standby.WaitForReplayAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await standby.StartAsync();
        await standby.ResumeReplayAsync();
    }

    private ApiFactory App(TimeSpan maxLag) => ApiFactory.On(database, new()
    {
        [$"ConnectionStrings:{ReadReplica.ConnectionName}"] =
            standby.ConnectionStringFor(database.DatabaseName, ServiceLogins.ApiRole, ServiceLogins.ApiPassword),
        ["Database:ReadReplica:MaxLag"] = maxLag.ToString(),
        ["Database:ReadReplica:CheckInterval"] = "00:00:00.100",
    }).Start();

    private async Task<string> IssueOnThePrimaryAsync()
    {
        var id = CrawledIssues.UniqueId("RR");
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("insert into ims.issues (issue_id, title) values (@id, 'written on the primary')", new { id });
        return id;
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Reads_come_from_the_replica_but_a_user_who_just_wrote_reads_from_the_primary()
    {
        await using var app = App(maxLag: TimeSpan.FromMinutes(5));
        var replica = app.Services.GetRequiredService<ReadReplica>();
        await UntilAsync(() => replica.BypassReason is null, "the replica to be in use");
        var (reader, writer) = (await app.CreateUserAsync(), await app.CreateUserAsync());
        using var readerClient = app.CreateClient(reader);
        using var writerClient = app.CreateClient(writer);
        await standby.PauseReplayAsync();
        var id = await IssueOnThePrimaryAsync();

        var fromReplica = await readerClient.GetAsync($"/api/issues/{id}");
        Assert.Equal(HttpStatusCode.Created, (await writerClient.PostJsonAsync("/api/sessions", new { product = "Tibero", originalQuery = "q" })).StatusCode);
        var afterWriting = await writerClient.GetAsync($"/api/issues/{id}");
        await standby.ResumeReplayAsync();
        await standby.WaitForReplayAsync();
        var caughtUp = await readerClient.GetAsync($"/api/issues/{id}");

        Assert.Equal(HttpStatusCode.NotFound, fromReplica.StatusCode);     // the paused replica has not replayed it yet
        Assert.Equal(HttpStatusCode.OK, afterWriting.StatusCode);          // the primary has
        Assert.Equal(HttpStatusCode.OK, caughtUp.StatusCode);
        Assert.Null(replica.BypassReason);
    }

    [Fact]
    public async Task A_lagging_replica_is_bypassed_with_a_log_line_and_used_again_once_it_caught_up()
    {
        await using var app = App(maxLag: TimeSpan.FromSeconds(1));
        var replica = app.Services.GetRequiredService<ReadReplica>();
        await UntilAsync(() => replica.BypassReason is null, "the replica to be in use");
        var reader = await app.CreateUserAsync();
        using var client = app.CreateClient(reader);
        await standby.PauseReplayAsync();
        var id = await IssueOnThePrimaryAsync();
        await standby.WaitForReceiveAsync();

        await UntilAsync(() => replica.BypassReason?.StartsWith("lags", StringComparison.Ordinal) == true, "the lag to be noticed");
        var bypassed = await client.GetAsync($"/api/issues/{id}");
        var health = await app.CreateClient().GetAsync("/health");
        await standby.ResumeReplayAsync();
        await UntilAsync(() => replica.BypassReason is null, "the replica to be used again");

        Assert.Equal(HttpStatusCode.OK, bypassed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        Assert.Contains(app.Logs, entry => entry.Message.StartsWith("Read replica bypassed, reads go to the primary: lags", StringComparison.Ordinal));
        Assert.Contains(app.Logs, entry => entry.Message.StartsWith("Read replica serves reads again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replica_that_is_down_is_bypassed_and_the_service_stays_healthy_enough_to_serve()
    {
        await using var app = App(maxLag: TimeSpan.FromMinutes(5));
        var replica = app.Services.GetRequiredService<ReadReplica>();
        var reader = await app.CreateUserAsync();
        using var client = app.CreateClient(reader);
        var id = await IssueOnThePrimaryAsync();

        await standby.StopAsync();
        await UntilAsync(() => replica.BypassReason?.StartsWith("unreachable", StringComparison.Ordinal) == true, "the replica to be missed");
        var issue = await client.GetAsync($"/api/issues/{id}");
        var dashboard = await client.GetAsync("/api/dashboard");
        var health = await app.CreateClient().GetAsync("/health");
        await standby.StartAsync();
        await UntilAsync(() => replica.BypassReason is null, "the replica to be used again");

        Assert.Equal(HttpStatusCode.OK, issue.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "Degraded"), (health.StatusCode, await health.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Row_level_security_holds_on_the_replica()
    {
        await using var app = App(maxLag: TimeSpan.FromMinutes(5));
        var replica = app.Services.GetRequiredService<ReadReplica>();
        var (alice, bob) = (await app.CreateUserAsync(), await app.CreateUserAsync());
        await CrawledIssues.CreateSessionAsync(database, alice.UserId, "completed");
        await CrawledIssues.CreateSessionAsync(database, alice.UserId, "completed");
        await CrawledIssues.CreateSessionAsync(database, bob.UserId, "completed");
        await standby.WaitForReplayAsync();
        await UntilAsync(() => replica.BypassReason is null, "the replica to be in use");

        using var client = app.CreateClient(bob);
        var dashboard = await (await client.GetAsync("/api/dashboard")).ReadJsonAsync();

        Assert.Equal(1, dashboard.GetProperty("stats").GetProperty("totalSessions").GetInt32());
    }
}
