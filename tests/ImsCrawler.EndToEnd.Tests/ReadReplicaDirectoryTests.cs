using ImsCrawler.AppHost.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ImsCrawler.EndToEnd.Tests;

/// <summary>
/// When a local read replica's data directory is kept and when it is made again, against the shared app's running
/// primary: a ninth standby (its own slot and directory) is prepared beside the fixture's real one, never started.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ReadReplicaDirectoryTests(AppHostFixture fixture)
{
    private const int Index = 9;

    [Fact]
    public async Task A_standby_is_reused_while_it_fits_the_primary_and_made_again_when_its_slot_or_cluster_changed()
    {
        await fixture.WaitForHealthyAsync(PostgresReadReplicas.ResourceName(1));
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var primary = model.Resources.OfType<LocalPostgresServerResource>().Single();
        var standby = primary.Options with { DataDirectory = PostgresReadReplicas.DataDirectory(primary.Options.DataDirectory, Index), Port = null };
        var admin = new NpgsqlConnectionStringBuilder(await fixture.App.GetConnectionStringAsync(primary.Name)) { Database = "postgres", Pooling = false }.ConnectionString;
        var source = new LocalPostgresStandby.Source(admin, "localhost", fixture.PostgresPort,
            (await primary.ReplicationPasswordParameter!.GetValueAsync(CancellationToken.None))!, PostgresReadReplicas.SlotName(Index), "e2e-standby");
        var marker = Path.Combine(standby.DataDirectory, "e2e-marker");
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        try
        {
            var made = await LocalPostgresStandby.PrepareAsync(standby, source, NullLogger.Instance, CancellationToken.None);
            await File.WriteAllTextAsync(marker, "kept while reused");
            var again = await LocalPostgresStandby.PrepareAsync(standby, source, NullLogger.Instance, CancellationToken.None);
            var markerKept = File.Exists(marker);

            // A start with fewer replicas drops the slots of the others; the directory then no longer fits.
            await LocalPostgresCluster.DropUnusedReplicationSlotsAsync(admin, AppHostFixture.ReadReplicas, CancellationToken.None);
            var slotsLeft = await SlotsAsync(connection);
            var withoutSlot = await LocalPostgresStandby.ReasonToRecreateAsync(standby.DataDirectory, source.SlotName, connection, CancellationToken.None);
            var remade = await LocalPostgresStandby.PrepareAsync(standby, source, NullLogger.Instance, CancellationToken.None);
            var markerAfterRemake = File.Exists(marker);

            // A copy of another cluster (the primary's directory was deleted and initdb ran again) does not fit either.
            await using (var control = File.OpenWrite(Path.Combine(standby.DataDirectory, "global", "pg_control")))
                await control.WriteAsync(new byte[8]);
            var otherCluster = await LocalPostgresStandby.ReasonToRecreateAsync(standby.DataDirectory, source.SlotName, connection, CancellationToken.None);

            Assert.Equal((LocalPostgresStandby.Outcome.Created, LocalPostgresStandby.Outcome.Reused, LocalPostgresStandby.Outcome.Created), (made, again, remade));
            Assert.Equal((true, false), (markerKept, markerAfterRemake));
            Assert.Equal([PostgresReadReplicas.SlotName(1)], slotsLeft);
            Assert.Contains("no replication slot", withoutSlot);
            Assert.Contains("another cluster", otherCluster);
            Assert.True(File.Exists(Path.Combine(standby.DataDirectory, "standby.signal")));
            Assert.Contains($"primary_slot_name = '{source.SlotName}'", await File.ReadAllTextAsync(Path.Combine(standby.DataDirectory, "postgresql.auto.conf")));
        }
        finally
        {
            // The slot would keep WAL for a standby that never runs.
            await using var drop = new NpgsqlCommand("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1", connection);
            drop.Parameters.Add(new() { Value = source.SlotName });
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<string>> SlotsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("select slot_name::text from pg_replication_slots order by 1", connection);
        var slots = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            slots.Add(reader.GetString(0));
        return slots;
    }
}
