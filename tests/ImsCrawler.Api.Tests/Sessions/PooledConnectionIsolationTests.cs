using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Sessions;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImsCrawler.Api.Tests.Sessions;

/// <summary>
/// One pooled connection for the whole app: every request (authentication and its transaction) reuses
/// it, so anything a request set beyond its transaction would show up in the next user's request.
/// </summary>
public sealed class PooledConnectionIsolationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Alternating_users_on_one_connection_never_see_the_previous_users_rows()
    {
        var pooled = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var app = ApiFactory.On(database, new() { ["ConnectionStrings:imsdb"] = pooled });
        var a = await TestUsers.CreateAsync(database, "user");
        var b = await TestUsers.CreateAsync(database, "user");
        using var clientA = app.CreateClient(a);
        using var clientB = app.CreateClient(b);

        var own = new Dictionary<int, HashSet<string>> { [a.UserId] = [], [b.UserId] = [] };
        foreach (var (user, client) in new[] { (a, clientA), (b, clientB) })
            for (var i = 0; i < 2; i++)
            {
                var session = await (await client.PostJsonAsync("/api/sessions", new { product = "JEUS", originalQuery = $"q{i}" }))
                    .ReadAsync<SessionResponse>(HttpStatusCode.Created);
                own[user.UserId].Add(session.SessionUuid);
            }

        for (var round = 0; round < 20; round++)
        {
            var (user, client) = round % 2 == 0 ? (a, clientA) : (b, clientB);
            var page = await (await client.GetAsync("/api/sessions")).ReadAsync<Page<SessionResponse>>();
            Assert.Equal(own[user.UserId].Order(), page.Items.Select(item => item.SessionUuid).Order());
            Assert.All(page.Items, item => Assert.Equal(user.UserId, item.UserId));
        }

        // The app's single physical connection carries no role or user between transactions.
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        Assert.Equal(1, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "select current_user = session_user, coalesce(current_setting('app.current_user_id', true), '')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetBoolean(0));
        Assert.Equal("", reader.GetString(1));
    }

    [Fact]
    public async Task Eight_clients_alternating_two_users_on_two_pooled_connections_never_get_the_other_users_identity_or_rows()
    {
        const int Clients = 8;
        const int RequestsPerClient = 200;
        var pooled = new NpgsqlConnectionStringBuilder(database.ApiConnectionString) { MaxPoolSize = 2 }.ConnectionString;
        await using var app = ApiFactory.On(database, new() { ["ConnectionStrings:imsdb"] = pooled });
        var users = new[] { await TestUsers.CreateAsync(database, "user"), await TestUsers.CreateAsync(database, "user") };
        var own = new Dictionary<int, string[]>();
        foreach (var user in users)
        {
            using var client = app.CreateClient(user);
            var sessions = new List<string>();
            for (var i = 0; i < 3; i++)
                sessions.Add((await (await client.PostJsonAsync("/api/sessions", new { product = "JEUS", originalQuery = $"{user.Username} {i}" }))
                    .ReadAsync<SessionResponse>(HttpStatusCode.Created)).SessionUuid);
            own[user.UserId] = [.. sessions.Order()];
        }
        var mistakes = new ConcurrentQueue<string>();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var clients = users.Select(user => (User: user, Http: app.CreateClient(user))).ToArray();
            for (var r = 0; r < RequestsPerClient; r++)
            {
                var (user, http) = clients[(c + r) % 2];
                if (r % 2 == 0)
                {
                    using var me = JsonDocument.Parse(await http.GetStringAsync("/api/me"));
                    var identity = me.RootElement.GetProperty("user");
                    if (identity.GetProperty("userId").GetInt32() != user.UserId || identity.GetProperty("username").GetString() != user.Username)
                        mistakes.Enqueue($"client {c} request {r}: /api/me of {user.Username} answered {identity}");
                }
                else
                {
                    var page = await (await http.GetAsync("/api/sessions")).ReadAsync<Page<SessionResponse>>();
                    var seen = page.Items.Select(item => item.SessionUuid).Order().ToArray();
                    if (!seen.SequenceEqual(own[user.UserId]) || page.Items.Any(item => item.UserId != user.UserId))
                        mistakes.Enqueue($"client {c} request {r}: {user.Username} saw sessions {string.Join(",", seen)}");
                }
            }
            foreach (var (_, http) in clients)
                http.Dispose();
        })));

        Assert.Empty(mistakes);
    }
}
