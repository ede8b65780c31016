using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Replication;

/// <summary>
/// A real streaming standby of the test cluster (<see cref="PostgresStandby"/>), as the Api's read replica: what the
/// primary commits arrives there, row-level security holds there for the Api's own login, writes are refused, and
/// the test support can make it lag or go down. The tests of one class run one after another, so pausing and stopping
/// the shared standby here disturbs no other test.
/// </summary>
public sealed class StandbyTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Rows_written_on_the_primary_arrive_on_the_standby()
    {
        var standby = await PostgresStandby.GetSharedAsync();
        var userId = await fixture.UserAsync();

        await standby.WaitForReplayAsync();

        await using var connection = await OpenAsync(standby.ConnectionStringFor(fixture.DatabaseName));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("select count(*) from ims.users where user_id = @userId", new { userId }));
        Assert.True(await connection.ExecuteScalarAsync<bool>("select pg_is_in_recovery()"));
    }

    [Fact]
    public async Task Row_level_security_holds_on_the_standby_for_the_apis_own_login()
    {
        var standby = await PostgresStandby.GetSharedAsync();
        var (a, b) = (await fixture.UserAsync(), await fixture.UserAsync());
        var sessionOfA = await fixture.SessionAsync(a);
        var sessionOfB = await fixture.SessionAsync(b);
        await standby.WaitForReplayAsync();

        // The Api's login and its password are replicated with the roles; it switches to ims_user per request as on the primary.
        await using var connection = await OpenAsync(standby.ConnectionStringFor(fixture.DatabaseName, ServiceLogins.ApiRole, ServiceLogins.ApiPassword));
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync($"set local role {Roles.User}; select ims.set_current_user(@a)", new { a }, transaction);
        var visible = (await connection.QueryAsync<long>(
            "select session_id from ims.crawl_sessions where session_id in (@sessionOfA, @sessionOfB)", new { sessionOfA, sessionOfB }, transaction)).AsList();
        var users = (await connection.QueryAsync<int>("select user_id from ims.users where user_id in (@a, @b)", new { a, b }, transaction)).AsList();

        Assert.Equal([sessionOfA], visible);
        Assert.Equal([a], users);
    }

    [Fact]
    public async Task The_standby_refuses_writes()
    {
        var standby = await PostgresStandby.GetSharedAsync();
        await standby.WaitForReplayAsync();
        await using var connection = await OpenAsync(standby.ConnectionStringFor(fixture.DatabaseName));

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync("insert into ims.users (username, role) values (@name, 'user')", new { name = TestData.Unique("standby") }));

        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, refused.SqlState);
    }

    [Fact]
    public async Task Paused_replay_holds_received_rows_back_until_it_resumes()
    {
        var standby = await PostgresStandby.GetSharedAsync();
        await standby.PauseReplayAsync();
        try
        {
            var userId = await fixture.UserAsync();
            // Received but not applied: the standby has the row's WAL and still does not show it.
            await standby.WaitForReceiveAsync();
            Assert.False(await UserVisibleOnStandbyAsync(standby, userId));

            await standby.ResumeReplayAsync();
            await standby.WaitForReplayAsync();

            Assert.True(await UserVisibleOnStandbyAsync(standby, userId));
        }
        finally
        {
            await standby.ResumeReplayAsync();
        }
    }

    [Fact]
    public async Task A_stopped_standby_refuses_connections_and_catches_up_when_started_again()
    {
        var standby = await PostgresStandby.GetSharedAsync();
        await standby.StopAsync();
        try
        {
            var userId = await fixture.UserAsync();

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => OpenAsync(standby.ConnectionStringFor(fixture.DatabaseName)));

            await standby.StartAsync();
            await standby.WaitForReplayAsync();
            Assert.True(await UserVisibleOnStandbyAsync(standby, userId));
        }
        finally
        {
            await standby.StartAsync();
        }
    }

    private async Task<bool> UserVisibleOnStandbyAsync(PostgresStandby standby, int userId)
    {
        await using var connection = await OpenAsync(standby.ConnectionStringFor(fixture.DatabaseName));
        return await connection.ExecuteScalarAsync<bool>("select exists (select 1 from ims.users where user_id = @userId)", new { userId });
    }

    // Not pooled: a pooled connection would outlive a stopped standby and hide what a new connection meets.
    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
