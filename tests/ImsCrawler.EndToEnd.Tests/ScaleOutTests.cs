using System.Net;
using ImsCrawler.AppHost.Postgres;
using Npgsql;

namespace ImsCrawler.EndToEnd.Tests;

/// <summary>
/// Issue 13 on the shared app: two api and two jobs processes and a read replica run together, and what must
/// happen once (the first admin key, a job's period) happens once.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ScaleOutTests(AppHostFixture fixture)
{
    private static readonly TimeSpan JobWait = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task TwoApiReplicasAnswerEveryRequest()
    {
        var replicas = await fixture.WaitForHealthyReplicasAsync("api", AppHostFixture.ApiReplicas);
        using var shared = fixture.App.CreateHttpClient("api");
        var ownUrls = replicas.Select(OwnUrlOf).Distinct().ToList();

        // Concurrent requests through the one endpoint, which spreads them over the replicas, and to each replica itself.
        var throughEndpoint = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => StatusCodeAsync(shared, "/api/status")));
        var perReplica = await Task.WhenAll(ownUrls.SelectMany(url => Enumerable.Range(0, 10).Select(async _ =>
        {
            using var client = new HttpClient { BaseAddress = url };
            return await StatusCodeAsync(client, "/api/status");
        })));

        Assert.Equal(AppHostFixture.ApiReplicas, ownUrls.Count);
        Assert.All([.. throughEndpoint, .. perReplica], status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task TheFirstAdminKeyIsMadeOnceByTwoApiReplicas()
    {
        await fixture.WaitForHealthyReplicasAsync("api", AppHostFixture.ApiReplicas);
        await using var connection = await OpenOwnerAsync();

        // The api-admin-key parameter is always set, so each replica stores its hash unless the other already has.
        var keys = await ScalarAsync<long>(connection, "select count(*) from ims.api_keys where name like 'bootstrap%'");
        var audited = await ScalarAsync<long>(connection, "select count(*) from ims.audit_log where action = 'key.bootstrapped'");

        Assert.Equal((1L, 1L), (keys, audited));
    }

    [Fact]
    public async Task TwoJobsReplicasRunEachPeriodOnce()
    {
        var replicas = await fixture.WaitForHealthyReplicasAsync("jobs", AppHostFixture.JobsReplicas);
        await using var connection = await OpenOwnerAsync();

        // At start both catch up yesterday and last month (no history yet): one runs each, the other skips it or sees it done.
        var deadline = DateTime.UtcNow + JobWait;
        while (await ScalarAsync<long>(connection, """
            select count(distinct job_name) from ims.job_runs
            where job_name in ('daily-aggregation', 'monthly-aggregation') and status = 'succeeded'
            """) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the catch-up runs did not succeed within a minute");
            await Task.Delay(200);
        }
        await using var command = new NpgsqlCommand("""
            select job_name || ' ' || period_key, count(*) filter (where status = 'succeeded'),
                   count(*) filter (where status not in ('succeeded', 'skipped'))
            from ims.job_runs where trigger <> 'manual' group by 1 order by 1
            """, connection);
        var periods = new List<(string Period, long Succeeded, long Other)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                periods.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));

        Assert.Equal(AppHostFixture.JobsReplicas, replicas.Count);
        Assert.Contains(periods, period => period.Period.StartsWith("daily-aggregation ", StringComparison.Ordinal));
        Assert.All(periods, period => Assert.Equal((period.Period, 1L, 0L), period));
    }

    [Fact]
    public async Task TheReadReplicaStreamsAndTheApiReadsThereAsItsOwnLogin()
    {
        await fixture.WaitForHealthyAsync(PostgresReadReplicas.ResourceName(1));
        var environment = await fixture.EnvironmentOfAsync("api");
        var readConnection = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__imsdb-read"]) { Pooling = false };
        await using var primary = await OpenOwnerAsync();
        var marker = $"replica-{Guid.NewGuid():N}"[..20];
        await ScalarAsync<int>(primary, $"insert into ims.users (username, role) values ('{marker}', 'user') returning user_id");
        var streaming = await ScalarAsync<string>(primary,
            $"select state from pg_stat_replication where application_name = '{PostgresReadReplicas.ResourceName(1)}'");

        await using var replica = new NpgsqlConnection(readConnection.ConnectionString);
        await replica.OpenAsync();
        var (login, inRecovery) = (await ScalarAsync<string>(replica, "select session_user"), await ScalarAsync<bool>(replica, "select pg_is_in_recovery()"));
        // As the api reads: it switches its login to an application role (SET ROLE writes nothing, so a standby allows it).
        await ScalarAsync<object>(replica, "set role ims_admin");
        var arrived = await WaitUntilAsync(() => ScalarAsync<bool>(replica, $"select exists (select 1 from ims.users where username = '{marker}')"));

        Assert.Equal((fixture.PostgresPort + 1, "streaming"), (readConnection.Port, streaming));
        Assert.Equal(("ims_api_login", true), (login, inRecovery));
        Assert.True(arrived, "a row written on the primary did not arrive on the read replica");
    }

    // DCP gives each replica its own port behind the shared one; the replica's process has it in ASPNETCORE_URLS (Linux /proc).
    private static Uri OwnUrlOf(ResourceEvent replica)
    {
        var pid = replica.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value;
        var urls = File.ReadAllText($"/proc/{pid}/environ").Split('\0').Single(variable => variable.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal));
        return new Uri(urls["ASPNETCORE_URLS=".Length..].Split(';')[0]);
    }

    private static async Task<HttpStatusCode> StatusCodeAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    private async Task<NpgsqlConnection> OpenOwnerAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(await fixture.App.GetConnectionStringAsync("imsdb")) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync() ?? default(T))!;
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(50);
        }
        return true;
    }
}
