using ImsCrawler.Migrator;
using ImsCrawler.Migrator.Database;
using ImsCrawler.Migrator.Logging;
using ImsCrawler.Migrator.Logins;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.TestSupport;

/// <summary>
/// The PostgreSQL server of this test run, started once per process: the server named by env
/// IMS_TEST_CONNECTION (a superuser connection string), otherwise a throwaway local cluster.
/// Hands out fresh databases: empty ones, or clones of a template migrated once with the real Migrator.
/// </summary>
public sealed class PostgresServer
{
    public const string ConnectionVariable = "IMS_TEST_CONNECTION";

    private static readonly Lazy<Task<PostgresServer>> Instance = new(StartAsync);

    private readonly SemaphoreSlim cloneLock = new(1, 1);
    private readonly Lazy<Task<string>> templateDatabase;

    private PostgresServer(string connectionString, LocalPostgresCluster? cluster = null)
    {
        ConnectionString = connectionString;
        Cluster = cluster;
        templateDatabase = new Lazy<Task<string>>(CreateTemplateDatabaseAsync);
    }

    /// <summary>The local cluster behind this server, or null for an external one (IMS_TEST_CONNECTION).</summary>
    public LocalPostgresCluster? Cluster { get; }

    /// <summary>Superuser connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    public static Task<PostgresServer> GetAsync() => Instance.Value;

    /// <summary>
    /// A local cluster of the caller's own (never shared, whatever IMS_TEST_CONNECTION says), for tests that stop,
    /// kill or restart the server; dispose its <see cref="Cluster"/> when done.
    /// </summary>
    public static async Task<PostgresServer> StartOwnAsync()
    {
        var cluster = await LocalPostgresCluster.StartAsync(durableCommits: true);
        return new PostgresServer(cluster.ConnectionString, cluster);
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <summary>A connection string to <paramref name="database"/> as <paramref name="login"/> (e.g. the Api's own login).</summary>
    public string ConnectionStringFor(string database, string login, string password) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database, Username = login, Password = password }.ConnectionString;

    /// <summary>Creates a brand-new empty database and returns a connection string to it.</summary>
    public async Task<string> CreateEmptyDatabaseAsync(string prefix = "ims_test")
    {
        var name = UniqueName(prefix);
        await ExecuteAsync($"CREATE DATABASE {Sql.QuoteIdentifier(name)}");
        return ConnectionStringFor(name);
    }

    /// <summary>A name no database has yet, for tests that let the Migrator create the database.</summary>
    public static string UniqueName(string prefix = "ims_test") => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Creates a database from the migrated template and returns its name.</summary>
    public async Task<string> CloneTemplateAsync()
    {
        var template = await templateDatabase.Value;
        var name = UniqueName();
        // CREATE DATABASE ... TEMPLATE fails while another session uses the template, including another clone.
        await cloneLock.WaitAsync();
        try
        {
            await ExecuteAsync($"CREATE DATABASE {Sql.QuoteIdentifier(name)} TEMPLATE {Sql.QuoteIdentifier(template)}");
        }
        finally
        {
            cloneLock.Release();
        }
        return name;
    }

    /// <summary>Drops a database (by name or connection string), disconnecting its sessions.</summary>
    public Task DropDatabaseAsync(string databaseOrConnectionString)
    {
        var name = databaseOrConnectionString.Contains('=')
            ? new NpgsqlConnectionStringBuilder(databaseOrConnectionString).Database!
            : databaseOrConnectionString;
        return ExecuteAsync($"DROP DATABASE IF EXISTS {Sql.QuoteIdentifier(name)} WITH (FORCE)");
    }

    public async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = await OpenAdminConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection);
        command.Parameters.Add(new() { Value = name });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAdminConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> OpenAdminConnectionAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(external))
            return new PostgresServer(new NpgsqlConnectionStringBuilder(external) { Database = "postgres" }.ConnectionString);
        var cluster = await LocalPostgresCluster.StartAsync();
        return new PostgresServer(cluster.ConnectionString, cluster);
    }

    private async Task<string> CreateTemplateDatabaseAsync()
    {
        var name = UniqueName("ims_template");
        var log = new StringWriter();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new PlainTextLoggerProvider(log, log)));
        var options = new MigrationOptions(ConnectionStringFor(name), RepositoryScripts.Directory, SkipTablespace: true)
        {
            Logins = [LoginSetting.Api(ServiceLogins.ApiPassword), LoginSetting.Jobs(ServiceLogins.JobsPassword)],
        };
        var result = await new MigrationRunner(options, loggerFactory.CreateLogger("template"), TextWriter.Null).ApplyAsync();
        if (!result.Succeeded)
            throw new InvalidOperationException($"Migrating the template database from {RepositoryScripts.Directory} failed: {result.Error}\n{log}");
        // No one may connect to the template: a session on it would make the next clone fail.
        await ExecuteAsync($"ALTER DATABASE {Sql.QuoteIdentifier(name)} WITH ALLOW_CONNECTIONS false");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropQuietly(name);
        return name;
    }

    // Matters only for an external server (IMS_TEST_CONNECTION); a local cluster is deleted anyway.
    private void DropQuietly(string name)
    {
        try
        {
            DropDatabaseAsync(name).GetAwaiter().GetResult();
        }
        catch (NpgsqlException)
        {
            // The local cluster may already be stopped.
        }
    }
}
