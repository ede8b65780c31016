using System.Net;
using System.Text.RegularExpressions;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Logging;

namespace ImsCrawler.Api.Tests.Identity;

/// <summary>Each test gets its own database: the bootstrap depends on which admin keys exist.</summary>
public sealed partial class BootstrapAdminKeyTests
{
    [GeneratedRegex(@"ims_[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyPattern();

    private static string[] PrintedKeys(ApiFactory app) =>
        app.Logs.Where(entry => entry.Level == LogLevel.Warning)
            .SelectMany(entry => KeyPattern().Matches(entry.Message).Select(match => match.Value))
            .ToArray();

    private static Task<long> ActiveAdminKeysAsync(DatabaseFixture database) =>
        Scalar<long>(database, """
            select count(*) from ims.api_keys k join ims.users u on u.user_id = k.user_id
            where k.revoked_at is null and u.role = 'admin' and u.is_active
            """);

    private static async Task<T> Scalar<T>(DatabaseFixture database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return (T)(await new Npgsql.NpgsqlCommand(sql, connection).ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task First_start_prints_one_working_admin_key_and_a_restart_creates_no_second()
    {
        await using var database = new OwnedDatabase();
        await using (var first = ApiFactory.On(database.Fixture).Start())
        {
            var key = Assert.Single(PrintedKeys(first));
            var warning = Assert.Single(first.Logs, entry => entry.Message.Contains(key, StringComparison.Ordinal));
            Assert.Contains("shown only this once", warning.Message);
            Assert.Contains("'admin'", warning.Message);

            using var client = first.CreateClient(key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);
            var stored = await Scalar<string>(database.Fixture,
                "select k.key_prefix from ims.api_keys k join ims.users u using (user_id) where u.username = 'admin'");
            Assert.Equal(key[..ApiKeys.PrefixLength], stored);
        }

        await using (var restarted = ApiFactory.On(database.Fixture).Start())
        {
            Assert.Empty(PrintedKeys(restarted));
            Assert.Equal(1, await ActiveAdminKeysAsync(database.Fixture));
        }
    }

    [Fact]
    public async Task Two_replicas_starting_together_create_one_key()
    {
        await using var database = new OwnedDatabase();
        await using var a = ApiFactory.On(database.Fixture);
        await using var b = ApiFactory.On(database.Fixture);
        await Task.WhenAll(Task.Run(() => a.Start()), Task.Run(() => b.Start()));
        Assert.Single(PrintedKeys(a).Concat(PrintedKeys(b)));
        Assert.Equal(1, await ActiveAdminKeysAsync(database.Fixture));
    }

    [Fact]
    public async Task A_configured_key_is_stored_as_a_hash_never_logged_and_works()
    {
        await using var database = new OwnedDatabase();
        var secret = "configured-" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string?> { [BootstrapAdminKey.ConfigurationKey] = secret };
        await using (var app = ApiFactory.On(database.Fixture, settings).Start())
        {
            Assert.DoesNotContain(app.Logs, entry => entry.Message.Contains(secret, StringComparison.Ordinal));
            Assert.Empty(PrintedKeys(app));
            using var client = app.CreateClient(secret);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);
        }
        await using (var again = ApiFactory.On(database.Fixture, settings).Start())
        {
            Assert.Equal(1, await ActiveAdminKeysAsync(database.Fixture));
        }
    }

    [Fact]
    public async Task A_missing_admin_user_is_recreated_to_hold_the_key()
    {
        await using var database = new OwnedDatabase();
        await Scalar<int>(database.Fixture, "with d as (delete from ims.users where username = 'admin' returning 1) select count(*)::int from d");
        await using var app = ApiFactory.On(database.Fixture).Start();
        var key = Assert.Single(PrintedKeys(app));
        using var client = app.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);
    }

    private sealed class OwnedDatabase : IAsyncDisposable
    {
        public DatabaseFixture Fixture { get; } = new();

        public OwnedDatabase() => Fixture.InitializeAsync().GetAwaiter().GetResult();

        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }
}
