using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Dapper;
using ImsCrawler.Api.Identity;
using ImsCrawler.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.Api.Tests.Infrastructure;

/// <summary>
/// The real API in-process on a real, freshly migrated PostgreSQL database.
/// <para>Usage: <c>public class MyTests(ApiFactory api) : IClassFixture&lt;ApiFactory&gt;</c>, then
/// <c>var alice = await api.CreateUserAsync("user"); using var client = api.CreateClient(alice);</c> — the client
/// sends <c>Authorization: Bearer &lt;alice's key&gt;</c>. <c>api.CreateClient()</c> (no user) sends no key.
/// The app logs in as ims_api_login (sql/17), never as the owner.
/// <c>api.Database</c> is the <see cref="DatabaseFixture"/> (superuser access for set-up and for checking rows
/// as the owner, bypassing RLS); <c>api.Logs</c> holds what the app logged.</para>
/// <para>For a second app on the same database (a restart, another replica, other settings):
/// <c>await using var other = ApiFactory.On(api.Database, new() { ["Key"] = "value" });</c> — it does not own the database.
/// <see cref="ConnectionString"/> may be overridden the same way with <c>ConnectionStrings:imsdb</c>.</para>
/// <para>The app runs in the <c>Testing</c> environment on the in-memory test server unless
/// <see cref="On"/> names another <c>environment</c> (<c>Development</c> is what the AppHost runs, with minimal
/// APIs throwing on bad requests; <c>Production</c> what a deployment runs) or asks for <c>kestrel</c>: then the
/// clients talk HTTP over a socket to a real Kestrel server on a free port, with its limits and parsing.</para>
/// </summary>
public class ApiFactory : WebApplicationFactory<ApiEntryPoint>, IAsyncLifetime
{
    public const string TestingEnvironment = "Testing";

    private readonly bool ownsDatabase;
    private readonly Dictionary<string, string?> settings;

    public ApiFactory() : this(new DatabaseFixture(), [], ownsDatabase: true, TestingEnvironment, kestrel: false)
    {
    }

    /// <summary>
    /// Another app on an existing database (a restart, a replica, other settings, another hosting environment, a real
    /// Kestrel server); it does not own the database.
    /// </summary>
    public static ApiFactory On(DatabaseFixture database, Dictionary<string, string?>? settings = null,
        string environment = TestingEnvironment, bool kestrel = false) =>
        new(database, settings ?? [], ownsDatabase: false, environment, kestrel);

    private ApiFactory(DatabaseFixture database, Dictionary<string, string?> settings, bool ownsDatabase, string environment,
        bool kestrel)
    {
        Database = database;
        this.settings = settings;
        this.ownsDatabase = ownsDatabase;
        Environment = environment;
        if (kestrel)
            UseKestrel(0);
    }

    /// <summary>The hosting environment the app runs in.</summary>
    public string Environment { get; }

    public DatabaseFixture Database { get; }

    /// <summary>Everything the app logged (category, level, message), in order.</summary>
    public ConcurrentQueue<LogEntry> Logs { get; } = new();

    /// <summary>The connection string the app uses: the Api's own login (ims_api_login), as in production, unless overridden in settings.</summary>
    public string ConnectionString =>
        settings.TryGetValue("ConnectionStrings:imsdb", out var value) && value is not null ? value : Database.ApiConnectionString;

    async Task IAsyncLifetime.InitializeAsync()
    {
        if (ownsDatabase)
            await Database.InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase)
            await Database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("ConnectionStrings:imsdb", ConnectionString);
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new CollectingLoggerProvider(Logs))));
    }

    /// <summary>Starts the app (bootstrap included) without sending a request.</summary>
    public ApiFactory Start()
    {
        StartServer();
        return this;
    }

    /// <summary>A client that authenticates as <paramref name="user"/>.</summary>
    public HttpClient CreateClient(TestUser user) => CreateClient(user.Key);

    /// <summary>A client that sends <c>Authorization: Bearer <paramref name="apiKey"/></c>.</summary>
    public HttpClient CreateClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>
    /// Creates an active user with one API key directly in the database (as the owner), the way the
    /// users API would; <paramref name="role"/> is admin, user or readonly.
    /// </summary>
    public Task<TestUser> CreateUserAsync(string role = "user", string? username = null) =>
        TestUsers.CreateAsync(Database, role, username);

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, args)).AsList();
    }
}

/// <summary>A user made for a test, with a working API key.</summary>
public sealed record TestUser(int UserId, string Username, string Role, long KeyId, string Key);

public static class TestUsers
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Inserts a user and a key (as the superuser of <paramref name="database"/>).</summary>
    public static async Task<TestUser> CreateAsync(DatabaseFixture database, string role = "user", string? username = null)
    {
        username ??= Unique(role);
        var key = ApiKeys.Generate();
        await using var connection = await database.OpenAsync();
        var (userId, keyId) = await connection.QuerySingleAsync<(int, long)>("""
            with u as (insert into ims.users (username, role) values (@username, @role) returning user_id)
            insert into ims.api_keys (user_id, name, key_prefix, key_hash)
            select user_id, 'test', @prefix, @hash from u
            returning user_id, key_id
            """, new { username, role, prefix = ApiKeys.Prefix(key), hash = ApiKeys.Hash(key) });
        return new TestUser(userId, username, role, keyId, key);
    }

    /// <summary>Adds another key to an existing user.</summary>
    public static async Task<string> AddKeyAsync(DatabaseFixture database, int userId, string name = "test")
    {
        var key = ApiKeys.Generate();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "insert into ims.api_keys (user_id, name, key_prefix, key_hash) values (@userId, @name, @prefix, @hash)",
            new { userId, name, prefix = ApiKeys.Prefix(key), hash = ApiKeys.Hash(key) });
        return key;
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);

internal sealed class CollectingLoggerProvider(ConcurrentQueue<LogEntry> entries) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
