using System.Net;
using System.Net.Http.Json;

namespace ImsCrawler.EndToEnd.Tests;

[Collection(AppHostCollection.Name)]
public sealed class AppHostTests(AppHostFixture fixture)
{
    [Fact]
    public async Task MigratorFinishesWithExitCodeZero()
    {
        var migrator = await fixture.WaitForTerminalStateAsync("migrator");

        Assert.Equal(KnownResourceStates.Finished, migrator.State?.Text);
        Assert.Equal(0, migrator.ExitCode);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("jobs")]
    [InlineData("web")]
    public async Task ServiceBecomesHealthy(string resourceName)
    {
        await fixture.WaitForHealthyAsync(resourceName);
    }

    [Theory]
    [InlineData("api", "/health")]
    [InlineData("api", "/alive")]
    [InlineData("jobs", "/health")]
    [InlineData("jobs", "/alive")]
    [InlineData("web", "/health")]
    public async Task HealthEndpointAnswersOk(string resourceName, string path)
    {
        await fixture.WaitForHealthyAsync(resourceName);
        using var client = fixture.App.CreateHttpClient(resourceName);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StatusReportsTheAppliedMigrations()
    {
        await fixture.WaitForHealthyAsync("api");
        using var client = fixture.App.CreateHttpClient("api");

        var status = await client.GetFromJsonAsync<StatusResponse>("/api/status");

        Assert.NotNull(status);
        Assert.Equal("ims_crawler", status.Database);
        Assert.False(string.IsNullOrEmpty(status.ServerVersion));
        Assert.True(status.AppliedMigrations > 0, "no migration was journaled");
        Assert.Equal(LastSqlScript(), status.LatestScript);
    }

    [Fact]
    public async Task WebServesItsSignInPageAndReachesTheApi()
    {
        await fixture.WaitForHealthyAsync("web");
        using var client = fixture.App.CreateHttpClient("web");

        using var signIn = await client.GetAsync("/signin");
        var html = await signIn.Content.ReadAsStringAsync();
        // A wrong key goes to the api (service discovery) and comes back refused: proof the web reaches it.
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var refused = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Key"] = "ims_not-a-key-0000000000000000000000000000000000",
        }));

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("api-key", html);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static string LastSqlScript() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "sql"), "*.sql").Select(Path.GetFileName).Max()!;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ImsCrawler.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ImsCrawler.sln not found above the test binaries.");
    }

    private sealed record StatusResponse(string ServerVersion, string Database, int AppliedMigrations, string? LatestScript);
}

/// <summary>The start-up order the AppHost promises: the database, then the migrator to completion, then the services.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StartupOrderTests(AppHostFixture fixture)
{
    [Fact]
    public async Task TheMigratorRunsAfterTheDatabaseAndTheServicesStartOnlyAfterItFinished()
    {
        var migrator = await fixture.WaitForTerminalStateAsync("migrator");
        await fixture.WaitForHealthyAsync("api");
        await fixture.WaitForHealthyAsync("jobs");
        var postgres = Snapshot("postgres");
        Assert.True(postgres.StartTimeStamp <= migrator.StartTimeStamp, $"postgres {postgres.StartTimeStamp:O}, migrator {migrator.StartTimeStamp:O}");

        // The processes' own timestamps come from different clocks and observers; the database's are one clock: the
        // api's first admin key and the jobs' published schedules are written after the last migration.
        await using var connection = new Npgsql.NpgsqlConnection(await fixture.App.GetConnectionStringAsync("imsdb"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT (SELECT max(applied_at) FROM migrator.applied_scripts),
                   (SELECT min(created_at) FROM ims.api_keys WHERE name LIKE 'bootstrap%'),
                   (SELECT min(updated_at) FROM ims.job_schedules)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var (migrated, apiStarted, jobsStarted) = (reader.GetDateTime(0), reader.GetDateTime(1), reader.GetDateTime(2));

        Assert.True(migrated < apiStarted, $"last migration {migrated:O}, api's first key {apiStarted:O}");
        Assert.True(migrated < jobsStarted, $"last migration {migrated:O}, jobs' schedules {jobsStarted:O}");
    }

    private CustomResourceSnapshot Snapshot(string name) =>
        fixture.App.ResourceNotifications.TryGetCurrentState(name, out var resourceEvent)
            ? resourceEvent.Snapshot
            : throw new InvalidOperationException($"No state for {name}.");
}
