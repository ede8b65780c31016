using ImsCrawler.AppHost.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImsCrawler.EndToEnd.Tests;

/// <summary>The existing crawler's .env (DATABASE_USER=ims_user, DATABASE_PORT=...) against the AppHost's PostgreSQL.</summary>
[Collection(AppHostCollection.Name)]
public sealed class CrawlerLoginTests(AppHostFixture fixture)
{
    [Fact]
    public async Task PostgresListensOnTheConfiguredPortAndTheDashboardShowsIt()
    {
        await fixture.WaitForHealthyAsync("postgres");

        var endpoint = fixture.App.GetEndpoint("postgres", LocalPostgresServerResource.EndpointName);

        Assert.Equal(fixture.PostgresPort, endpoint.Port);
    }

    [Fact]
    public async Task TheCrawlersLoginConnectsOnThatPortAndSeesOnlyItsUsersSessions()
    {
        var migrator = await fixture.WaitForTerminalStateAsync("migrator");
        Assert.Equal(0, migrator.ExitCode);
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "localhost", Port = fixture.PostgresPort, Database = "ims_crawler",
            Username = "ims_user", Password = AppHostFixture.CrawlerPassword,
            MinPoolSize = 5, MaxPoolSize = 15, Timeout = 30,
        }.ConnectionString;

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The seed's second user (07_initial_data.sql), as the crawler knows its own user id.
        await using var become = new NpgsqlCommand("SELECT ims.set_current_user(2)", connection, transaction);
        await become.ExecuteNonQueryAsync();
        await using var sessions = new NpgsqlCommand(
            "SELECT (SELECT username FROM ims.users WHERE user_id = 2), count(*), count(*) FILTER (WHERE user_id <> 2) FROM crawl_sessions",
            connection, transaction);
        await using var reader = await sessions.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(("yijae.shin", 1L, 0L), (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
    }
}

/// <summary>Under the AppHost the services log in as their own roles (sql/17), not as the owner.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ServiceLoginTests(AppHostFixture fixture)
{
    [Fact]
    public async Task ApiAndJobsAreConnectedAsTheirOwnLoginsAndNothingElseButUsUsesTheOwner()
    {
        await fixture.WaitForHealthyAsync("api");
        await fixture.WaitForHealthyAsync("jobs");
        using (var client = fixture.App.CreateHttpClient("api"))
            Assert.True((await client.GetAsync("/api/status")).IsSuccessStatusCode);
        var owner = new NpgsqlConnectionStringBuilder(await fixture.App.GetConnectionStringAsync("imsdb")) { Pooling = false, ApplicationName = "e2e-check" };

        await using var connection = new NpgsqlConnection(owner.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT usename::text FROM pg_stat_activity WHERE datname = current_database() AND application_name <> 'e2e-check' AND usename IS NOT NULL",
            connection);
        var logins = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                logins.Add(reader.GetString(0));

        Assert.Contains("ims_api_login", logins);
        Assert.Contains("ims_jobs_login", logins);
        Assert.DoesNotContain(owner.Username, logins);
    }
}

/// <summary>The first minute: the first admin key is the AppHost's generated api-admin-key parameter, no log reading needed.</summary>
[Collection(AppHostCollection.Name)]
public sealed class FirstAdminKeyTests(AppHostFixture fixture)
{
    [Fact]
    public async Task TheApiAdminKeyParameterSignsInAsTheAdmin()
    {
        await fixture.WaitForHealthyAsync("api");
        var parameter = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(resource => resource.Name == "api-admin-key");
        var key = await parameter.GetValueAsync(CancellationToken.None);
        using var client = fixture.App.CreateHttpClient("api");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        using var response = await client.GetAsync("/api/me");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Contains("\"admin\"", body);
    }
}
