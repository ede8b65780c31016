using ImsCrawler.Migrator.Cli;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}

/// <summary>
/// Each test gets its own scripts directory and its own (not yet existing) database on the shared
/// test server; both are removed afterwards.
/// </summary>
public abstract class MigratorTestBase : IAsyncLifetime
{
    protected PostgresServer Server { get; private set; } = null!;
    protected string DatabaseName { get; } = PostgresServer.UniqueName("ims_migrator");
    protected string ScriptsDirectory { get; } = Directory.CreateTempSubdirectory("ims-migrator-test-").FullName;
    protected string ConnectionString => Server.ConnectionStringFor(DatabaseName);

    public async Task InitializeAsync() => Server = await PostgresServer.GetAsync();

    public async Task DisposeAsync()
    {
        await Server.DropDatabaseAsync(DatabaseName);
        Directory.Delete(ScriptsDirectory, recursive: true);
    }

    protected void WriteScript(string name, string text) => File.WriteAllText(Path.Combine(ScriptsDirectory, name), text);

    protected Task<CliRun> MigrateAsync(params string[] extraArgs) => RunCliAsync(["--scripts", ScriptsDirectory, .. extraArgs]);

    protected async Task<CliRun> RunCliAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:imsdb"] = ConnectionString })
            .Build();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await MigratorCli.RunAsync(args, stdout, stderr, configuration);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    protected async Task<List<(string Name, string Sha256, DateTime AppliedAt, int DurationMs)>> ReadJournalAsync()
    {
        var rows = new List<(string, string, DateTime, int)>();
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT script_name, sha256, applied_at, duration_ms FROM migrator.applied_scripts ORDER BY script_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetDateTime(2), reader.GetInt32(3)));
        return rows;
    }

    protected async Task<List<string>> JournaledNamesAsync() => (await ReadJournalAsync()).Select(row => row.Name).ToList();

    protected async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    protected Task<bool> TableExistsAsync(string name) => ScalarAsync<bool>($"SELECT to_regclass('{name}') IS NOT NULL");

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
