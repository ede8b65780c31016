using ImsCrawler.Api.Data;
using ImsCrawler.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImsCrawler.Api.Tests.Data;

public sealed class UserDatabaseTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_request_transaction_runs_as_the_users_role_and_id_with_jit_off_and_may_write()
    {
        var user = await api.CreateUserAsync("user");
        var database = api.Services.GetRequiredService<UserDatabase>();

        var inside = await database.RunAsync(new DatabaseUser(user.UserId, DatabaseUser.User), session =>
            session.QuerySingleAsync<(string Role, string UserId, string Jit, string ReadOnly)>(
                "select current_user::text, current_setting('app.current_user_id'), current_setting('jit'), current_setting('transaction_read_only')"),
            CancellationToken.None);

        Assert.Equal(("ims_user", user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), "off", "off"), inside);
    }

    [Fact]
    public async Task A_read_runs_as_the_user_in_a_read_only_transaction_that_refuses_writes()
    {
        var user = await api.CreateUserAsync("user");
        var database = api.Services.GetRequiredService<UserDatabase>();
        var caller = new DatabaseUser(user.UserId, DatabaseUser.User);

        var inside = await database.ReadAsync(caller, session =>
            session.QuerySingleAsync<(string Role, string UserId, string ReadOnly)>(
                "select current_user::text, current_setting('app.current_user_id'), current_setting('transaction_read_only')"),
            CancellationToken.None);
        var write = await Assert.ThrowsAsync<PostgresException>(() => database.ReadAsync(caller, session =>
            session.ExecuteAsync("insert into ims.audit_log (user_id, action) values (@userId, 'read.test')", new { user.UserId }),
            CancellationToken.None));

        Assert.Equal(("ims_user", user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), "on"), inside);
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, write.SqlState);
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.audit_log where action = 'read.test'"));
    }
}
