using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.Database.Tests.Migrator;
using ImsCrawler.Migrator.Cli;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ImsCrawler.Database.Tests.Crawler;

/// <summary>
/// The crawler's documented database login (its .env: DATABASE_USER=ims_user, DATABASE_PASSWORD=...,
/// SQLAlchemy pool_size=5, max_overflow=10, pool_timeout=30), enabled by the Migrator when it is given a
/// crawler password. ims_user is a cluster-wide role, so every test here sets the state it needs and
/// the class leaves the login disabled, as the scripts create it.
/// </summary>
public sealed class CrawlerLoginTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string Password = "crawler-Pa55-한글";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await fixture.ExecuteAsync("ALTER ROLE ims_user NOLOGIN PASSWORD NULL");
    }

    private async Task<CliRun> MigrateAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:imsdb"] = fixture.ConnectionString })
            .Build();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await MigratorCli.RunAsync(["--scripts", RepositoryScripts.Directory, .. args], stdout, stderr, configuration);
        var run = new CliRun(exitCode, stdout.ToString(), stderr.ToString());
        Assert.True(exitCode == 0, run.Output);
        return run;
    }

    /// <summary>What the crawler's .env and SQLAlchemy engine amount to, in Npgsql's terms.</summary>
    private string CrawlerConnectionString(string password, bool pooling = true) => new NpgsqlConnectionStringBuilder(fixture.ConnectionString)
    {
        Username = "ims_user",
        Password = password,
        Pooling = pooling,
        MinPoolSize = pooling ? 5 : 0,
        MaxPoolSize = 15,
        Timeout = 30,
    }.ConnectionString;

    private async Task<PostgresException> LoginFailsAsync(string password)
    {
        await using var connection = new NpgsqlConnection(CrawlerConnectionString(password, pooling: false));
        return await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
    }

    [Fact]
    public async Task The_seeds_env_and_pattern_work_under_row_level_security()
    {
        await MigrateAsync("--crawler-password", Password);
        var (crawlerUser, otherUser) = (await fixture.UserAsync(), await fixture.UserAsync());
        await fixture.SessionAsync(otherUser, product: "Tibero");
        var uuid = Guid.NewGuid().ToString();

        await using var dataSource = NpgsqlDataSource.Create(CrawlerConnectionString(Password));
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var session = await connection.BeginTransactionAsync())
        {
            // SELECT ims.set_current_user(:user_id) inside the session, then the crawler's own queries.
            await connection.ExecuteAsync("SELECT ims.set_current_user(@userId)", new { userId = crawlerUser });
            Assert.Empty(await connection.QueryAsync<string>("SELECT product FROM crawl_sessions"));
            var sessionId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query, status)
                VALUES (@uuid, @userId, 'OpenFrame', '배치 타임아웃', 'batch timeout', 'running') RETURNING session_id
                """, new { uuid, userId = crawlerUser });
            var issuePk = await connection.ExecuteScalarAsync<long>(
                "SELECT ims.upsert_issue('CRAWLER-LOGIN-1', '배치 작업 타임아웃 오류', 'TPETIME 발생', 'OpenFrame Batch', 'Open', '{}'::jsonb)");
            await connection.ExecuteAsync("INSERT INTO ims.session_issues (session_id, issue_pk, crawl_order) VALUES (@sessionId, @issuePk, 1)", new { sessionId, issuePk });
            await connection.ExecuteAsync("DELETE FROM ims.issue_comments WHERE issue_pk = @issuePk", new { issuePk });
            await connection.ExecuteAsync("INSERT INTO ims.issue_comments (issue_pk, comment_number, author, content) VALUES (@issuePk, 1, '이지은', '타임아웃 값을 늘렸습니다')", new { issuePk });
            Assert.Equal(["OpenFrame"], await connection.QueryAsync<string>("SELECT product FROM crawl_sessions"));
            await session.CommitAsync();
        }

        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var session = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("SELECT ims.set_current_user(@userId)", new { userId = crawlerUser });
            Assert.Contains("CRAWLER-LOGIN-1", await connection.QueryAsync<string>("SELECT issue_id FROM ims.search_issues('타임아웃이', 'OpenFrame', 10)"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM ims.issue_comments c JOIN ims.issues i USING (issue_pk) WHERE i.issue_id = 'CRAWLER-LOGIN-1'"));
            // Another user's session stays invisible to the crawler's user.
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM ims.crawl_sessions"));
            await session.CommitAsync();
        }

        // Without set_current_user the crawler's login sees no session at all.
        await using (var connection = await dataSource.OpenConnectionAsync())
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM ims.crawl_sessions"));
    }

    [Fact]
    public async Task A_changed_password_replaces_the_old_one_and_the_same_one_changes_nothing()
    {
        await MigrateAsync("--crawler-password", "first-Pa55");
        var changed = await MigrateAsync("--crawler-password", Password);
        var again = await MigrateAsync("--crawler-password", Password);

        Assert.Contains("password changed", changed.Output);
        Assert.Contains("password unchanged", again.Output);
        Assert.Equal(PostgresErrorCodes.InvalidPassword, (await LoginFailsAsync("first-Pa55")).SqlState);
        await using var connection = new NpgsqlConnection(CrawlerConnectionString(Password, pooling: false));
        await connection.OpenAsync();
        Assert.Equal("ims_user", await connection.ExecuteScalarAsync<string>("SELECT current_user"));
    }

    [Fact]
    public async Task The_password_can_come_from_the_environment_variable()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:imsdb"] = fixture.ConnectionString,
            [MigratorCommand.CrawlerPasswordVariable] = "from-env-Pa55",
        }).Build();
        var output = new StringWriter();

        Assert.Equal(0, await MigratorCli.RunAsync(["--scripts", RepositoryScripts.Directory], output, output, configuration));

        await using var connection = new NpgsqlConnection(CrawlerConnectionString("from-env-Pa55", pooling: false));
        await connection.OpenAsync();
    }

    [Fact]
    public async Task Without_a_password_the_login_is_left_alone_and_no_crawler_login_takes_it_away()
    {
        await MigrateAsync("--crawler-password", Password);

        await MigrateAsync();
        await using (var stillWorks = new NpgsqlConnection(CrawlerConnectionString(Password, pooling: false)))
            await stillWorks.OpenAsync();

        var disabled = await MigrateAsync("--no-crawler-login");
        Assert.Contains("disabled", disabled.Output);
        Assert.False(await fixture.ScalarAsync<bool>("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'ims_user'"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, (await LoginFailsAsync(Password)).SqlState);
    }

    [Fact]
    public async Task A_fresh_database_lets_nobody_log_in_as_ims_user()
    {
        var server = await PostgresServer.GetAsync();
        var name = PostgresServer.UniqueName("ims_fresh");
        await fixture.ExecuteAsync("ALTER ROLE ims_user NOLOGIN PASSWORD NULL");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:imsdb"] = server.ConnectionStringFor(name),
            }).Build();
            var output = new StringWriter();
            Assert.Equal(0, await MigratorCli.RunAsync(["--scripts", RepositoryScripts.Directory, "--skip-tablespace"], output, output, configuration));

            Assert.False(await fixture.ScalarAsync<bool>("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'ims_user'"));
        }
        finally
        {
            await server.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task Both_options_together_are_a_usage_error()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:imsdb"] = fixture.ConnectionString,
        }).Build();
        var output = new StringWriter();

        Assert.Equal(ExitCodes.Usage, await MigratorCli.RunAsync(["--crawler-password", "x", "--no-crawler-login"], output, output, configuration));
        Assert.Contains("cannot be combined", output.ToString());
    }
}
