using System.Net;
using System.Text.RegularExpressions;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Sessions;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Api.Tests.Identity;

/// <summary>
/// The API as it runs in production: logged in as a plain (non-superuser) role that may only switch to
/// ims_admin, ims_user and ims_readonly — key lookup, bootstrap and RLS-isolated writes all work.
/// </summary>
public sealed class LoginRoleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_non_superuser_login_role_member_of_the_ims_roles_runs_the_whole_flow()
    {
        var role = $"ims_api_{Guid.NewGuid():N}"[..20];
        await ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'api-pa55' NOSUPERUSER NOBYPASSRLS; GRANT ims_admin, ims_user, ims_readonly TO {role}");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = "api-pa55" }.ConnectionString;
            await using (var app = ApiFactory.On(database, new() { ["ConnectionStrings:imsdb"] = connectionString }).Start())
            {
                var adminKey = Assert.Single(app.Logs.SelectMany(entry => Regex.Matches(entry.Message, @"ims_[A-Za-z0-9_-]{43}")).Select(match => match.Value));
                using var admin = app.CreateClient(adminKey);
                var created = await (await admin.PostJsonAsync("/api/users", new { username = TestUsers.Unique("crawler") }))
                    .ReadAsync<ImsCrawler.Api.Users.UserResponse>(HttpStatusCode.Created);
                var key = await (await admin.PostJsonAsync($"/api/users/{created.UserId}/keys", new { name = "crawler" }))
                    .ReadAsync<ImsCrawler.Api.Users.CreatedApiKeyResponse>(HttpStatusCode.Created);

                using var user = app.CreateClient(key.Key);
                var session = await (await user.PostJsonAsync("/api/sessions", new { product = "Tibero", originalQuery = "ORA-00001" }))
                    .ReadAsync<SessionResponse>(HttpStatusCode.Created);
                Assert.Equal(HttpStatusCode.OK, (await user.PostJsonAsync($"/api/sessions/{session.SessionUuid}/complete", new { status = "completed" })).StatusCode);
                var own = await (await user.GetAsync("/api/sessions")).ReadAsync<Page<SessionResponse>>();
                Assert.Equal([session.SessionUuid], own.Items.Select(item => item.SessionUuid));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP ROLE IF EXISTS {role}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
