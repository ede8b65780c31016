using Xunit;

namespace ImsCrawler.TestSupport;

/// <summary>
/// A migrated database on a PostgreSQL cluster of this fixture's own, for fault tests: <see cref="Cluster"/> can be
/// stopped (fast or immediate) and started again without disturbing any other test. Always local binaries.
/// </summary>
public sealed class RestartableDatabaseFixture : IAsyncLifetime
{
    public DatabaseFixture Database { get; } = new(PostgresServer.StartOwnAsync);

    public LocalPostgresCluster Cluster => Database.Server.Cluster!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        // A clone of the template copies each sequence's page, including how many values the template's WAL already
        // covers; this database's WAL does not, so after a crash its sequences would hand out used values again.
        // setval writes them to this database's WAL; the checkpoint puts the clone itself behind the redo start.
        await using var connection = await Database.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT setval(format('%I.%I', schemaname, sequencename), last_value) FROM pg_sequences WHERE last_value IS NOT NULL;
            CHECKPOINT;
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server (fast, or immediate as on a crash), keeps it down for <paramref name="downtime"/>, starts it again.</summary>
    public async Task OutageAsync(TimeSpan downtime, bool immediate = false)
    {
        await Cluster.StopAsync(immediate);
        await Task.Delay(downtime);
        await StartAgainAsync();
    }

    /// <summary>Starts the stopped server again; the fixture's own pooled connections died with it and are dropped.</summary>
    public async Task StartAgainAsync()
    {
        await Cluster.StartAgainAsync();
        Database.DataSource.Clear();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Database.DisposeAsync();
        }
        finally
        {
            Cluster.Dispose();
        }
    }
}
