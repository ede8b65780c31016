using ImsCrawler.Api.Data;
using ImsCrawler.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ImsCrawler.Api.Tests.Data;

public sealed class UserDatabaseTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_request_transaction_runs_as_the_users_role_and_id_with_jit_off()
    {
        var user = await api.CreateUserAsync("user");
        var database = api.Services.GetRequiredService<UserDatabase>();

        var inside = await database.RunAsync(new DatabaseUser(user.UserId, DatabaseUser.User), session =>
            session.QuerySingleAsync<(string Role, string UserId, string Jit)>(
                "select current_user::text, current_setting('app.current_user_id'), current_setting('jit')"), CancellationToken.None);

        Assert.Equal(("ims_user", user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), "off"), inside);
    }
}
