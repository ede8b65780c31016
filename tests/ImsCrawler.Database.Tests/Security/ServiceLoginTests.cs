using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Security;

/// <summary>
/// The services' own logins (sql/17): ims_api_login sees nothing until a request's transaction switches to a
/// user's role, and neither it nor ims_jobs_login can change the schema, the journal or row-level security,
/// or become the owner. (The template gave them their passwords, as the Migrator does under the AppHost.)
/// </summary>
public sealed class ServiceLoginTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<PostgresException> RefusedAsync(NpgsqlConnection connection, string sql) =>
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql));

    [Fact]
    public async Task The_api_login_reads_no_row_of_any_ims_table_outside_a_users_transaction()
    {
        var userId = await fixture.ScalarAsync<int>("INSERT INTO ims.users (username) VALUES (@name) RETURNING user_id", new { name = $"svc-{Guid.NewGuid():N}"[..20] });
        await fixture.ExecuteAsync(
            "INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query) VALUES (@uuid, @userId, 'Tibero', 'q', 'q')",
            new { uuid = Guid.NewGuid().ToString(), userId });
        var relations = (await fixture.QueryAsync<string>(
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ims' AND c.relkind IN ('r', 'v', 'm', 'p') ORDER BY 1")).ToList();
        Assert.Contains("ims.crawl_sessions", relations);
        await using var api = await OpenAsync(fixture.ApiConnectionString);

        foreach (var relation in relations)
        {
            var refused = await RefusedAsync(api, $"SELECT count(*) FROM {relation}");
            Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{relation}: {refused.MessageText}");
        }
    }

    [Fact]
    public async Task The_api_login_can_only_authenticate_and_read_the_migration_status()
    {
        await using var api = await OpenAsync(fixture.ApiConnectionString);

        Assert.Empty(await api.QueryAsync("SELECT * FROM ims.authenticate_api_key(@hash)", new { hash = new byte[32] }));
        Assert.True(await api.ExecuteScalarAsync<long>("SELECT applied_count FROM ims.migration_status()") > 0);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsync(api, "SELECT ims.aggregate_daily_stats()")).SqlState);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("jobs")]
    public async Task A_service_login_cannot_write_the_journal_alter_the_schema_lift_rls_or_become_the_owner(string service)
    {
        var owner = await fixture.ScalarAsync<string>("SELECT tableowner FROM pg_tables WHERE schemaname = 'ims' AND tablename = 'issues'");
        await using var login = await OpenAsync(service == "api" ? fixture.ApiConnectionString : fixture.JobsConnectionString);

        string[] statements =
        [
            "INSERT INTO migrator.applied_scripts (script_name, sha256, duration_ms) VALUES ('99_evil.sql', 'x', 0)",
            "ALTER TABLE ims.issues ADD COLUMN evil text",
            "ALTER TABLE ims.crawl_sessions DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE ims.crawl_sessions NO FORCE ROW LEVEL SECURITY",
            "DROP POLICY IF EXISTS user_own_rows ON ims.crawl_sessions",
            "CREATE TABLE ims.evil (x int)",
            $"SET ROLE \"{owner}\"",
        ];
        foreach (var statement in statements)
        {
            var refused = await RefusedAsync(login, statement);
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.InvalidSchemaName,
                $"{service}: {statement}: {refused.SqlState} {refused.MessageText}");
        }
    }

    [Fact]
    public async Task Row_security_cannot_be_switched_off_to_read_around_the_policies()
    {
        await using var api = await OpenAsync(fixture.ApiConnectionString);
        await using var transaction = await api.BeginTransactionAsync();
        await api.ExecuteAsync("SET LOCAL ROLE ims_user; SET LOCAL row_security = off");

        var refused = await RefusedAsync(api, "SELECT count(*) FROM ims.crawl_sessions");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("row-level security", refused.MessageText);
    }

    [Fact]
    public async Task The_jobs_login_starts_every_session_as_ims_jobs()
    {
        await using var jobs = await OpenAsync(fixture.JobsConnectionString);

        var (session, current) = await jobs.QuerySingleAsync<(string, string)>("SELECT session_user::text, current_user::text");
        Assert.Equal(("ims_jobs_login", "ims_jobs"), (session, current));
        Assert.True(await jobs.ExecuteScalarAsync<long>("SELECT count(*) FROM ims.users") > 0);
    }
}
