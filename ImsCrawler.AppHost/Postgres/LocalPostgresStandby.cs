using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>
/// The on-disk side of a local read replica: a base backup of the primary (<c>pg_basebackup -R</c>) streaming
/// through its own replication slot. Kept across restarts while it still fits the primary, re-made otherwise.
/// </summary>
public static class LocalPostgresStandby
{
    /// <summary>Where the standby streams from, and as whom.</summary>
    /// <param name="AdminConnectionString">The primary's superuser, for the checks and the replication slot.</param>
    /// <param name="ApplicationName">How the standby shows in the primary's pg_stat_replication.</param>
    public sealed record Source(string AdminConnectionString, string Host, int Port, string ReplicationPassword, string SlotName, string ApplicationName);

    public enum Outcome
    {
        Reused,
        Created,
    }

    public static async Task<Outcome> PrepareAsync(LocalPostgresOptions standby, Source primary, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(primary.AdminConnectionString);
        await connection.OpenAsync(cancellationToken);

        var outcome = Outcome.Reused;
        if (await ReasonToRecreateAsync(standby.DataDirectory, primary.SlotName, connection, cancellationToken) is { } reason)
        {
            logger.LogInformation("Making a standby in {DataDirectory} with pg_basebackup: {Reason}", standby.DataDirectory, reason);
            await CreateAsync(standby, primary, connection, cancellationToken);
            outcome = Outcome.Created;
        }
        else
        {
            logger.LogInformation("Reusing the standby in {DataDirectory} (delete it to make a new one)", standby.DataDirectory);
        }

        // The replication password may have changed since the base backup (it is generated unless persisted).
        await WriteStreamingSettingsAsync(standby, primary, cancellationToken);
        return outcome;
    }

    /// <summary>Why the data directory cannot serve as this primary's standby, or null when it can.</summary>
    public static async Task<string?> ReasonToRecreateAsync(string dataDirectory, string slotName, NpgsqlConnection primary, CancellationToken cancellationToken)
    {
        // Written last by pg_basebackup -R, and the directory only gets its name once the backup is complete.
        if (!File.Exists(Path.Combine(dataDirectory, "standby.signal")))
            return Directory.Exists(dataDirectory) ? "the directory holds no complete standby" : "there is none yet";

        var (systemIdentifier, majorVersion, slotStatus) = await DescribePrimaryAsync(primary, slotName, cancellationToken);
        if ((await File.ReadAllTextAsync(Path.Combine(dataDirectory, "PG_VERSION"), cancellationToken)).Trim() != majorVersion)
            return $"it was made by another PostgreSQL major version than the primary's {majorVersion}";
        if (await SystemIdentifierAsync(dataDirectory, cancellationToken) != systemIdentifier)
            return "it is a copy of another cluster (the primary's data directory was re-created)";
        return slotStatus switch
        {
            null => $"the primary has no replication slot {slotName} any more",
            "lost" => $"the primary removed WAL it still needed (slot {slotName} exceeded max_slot_wal_keep_size)",
            _ => null,
        };
    }

    private static async Task<(ulong SystemIdentifier, string MajorVersion, string? SlotStatus)> DescribePrimaryAsync(
        NpgsqlConnection primary, string slotName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select (select system_identifier from pg_control_system()),
                   current_setting('server_version_num')::int / 10000,
                   (select wal_status from pg_replication_slots where slot_name = $1 and slot_type = 'physical')
            """, primary);
        command.Parameters.Add(new() { Value = slotName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (unchecked((ulong)reader.GetInt64(0)), reader.GetInt32(1).ToString(), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    // pg_control starts with the cluster's 64-bit system identifier, written by initdb on this machine (same byte order).
    private static async Task<ulong> SystemIdentifierAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var control = await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "global", "pg_control"), cancellationToken);
        return BitConverter.ToUInt64(control, 0);
    }

    private static async Task CreateAsync(LocalPostgresOptions standby, Source primary, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await RecreateSlotAsync(connection, primary.SlotName, cancellationToken);

        // Backed up under a temporary name and renamed when complete, so a half-made standby is never taken for one.
        var partial = standby.DataDirectory + ".partial";
        DeleteDirectory(partial);
        await CreateOwnedDirectoryAsync(partial, standby.OsUser, cancellationToken);
        var backup = LocalPostgresLaunch.Binary(standby, "pg_basebackup",
        [
            "--pgdata", partial, "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast", "--slot", primary.SlotName,
            "--host", primary.Host, "--port", primary.Port.ToString(), "--username", PostgresReadReplicas.ReplicationRole, "--no-password",
        ]);
        await CommandRunner.RunAsync(backup.Command, backup.Arguments, cancellationToken: cancellationToken,
            environment: new Dictionary<string, string> { ["PGPASSWORD"] = primary.ReplicationPassword });

        DeleteDirectory(standby.DataDirectory);
        Directory.Move(partial, standby.DataDirectory);
    }

    private static async Task RecreateSlotAsync(NpgsqlConnection connection, string slotName, CancellationToken cancellationToken)
    {
        // Reserved at once: the WAL from here on stays until the standby has streamed it.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1") { Parameters = { new() { Value = slotName } } },
                new("select pg_create_physical_replication_slot($1, true)") { Parameters = { new() { Value = slotName } } },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteStreamingSettingsAsync(LocalPostgresOptions standby, Source primary, CancellationToken cancellationToken)
    {
        var autoConf = Path.Combine(standby.DataDirectory, "postgresql.auto.conf");
        var conninfo = string.Join(' ',
            $"host={ConninfoValue(primary.Host)}", $"port={primary.Port}", $"user={PostgresReadReplicas.ReplicationRole}",
            $"password={ConninfoValue(primary.ReplicationPassword)}", $"application_name={ConninfoValue(primary.ApplicationName)}");
        var kept = File.Exists(autoConf)
            ? (await File.ReadAllLinesAsync(autoConf, cancellationToken)).Where(line => !line.StartsWith("primary_", StringComparison.Ordinal))
            : [];
        // Rewritten in place: the file keeps its owner (the postgres OS user under root) and its mode (0600).
        await File.WriteAllLinesAsync(autoConf,
            [.. kept, $"primary_conninfo = {ConfigurationString(conninfo)}", $"primary_slot_name = {ConfigurationString(primary.SlotName)}"],
            cancellationToken);
    }

    private static string ConninfoValue(string value) => $"'{value.Replace(@"\", @"\\").Replace("'", @"\'")}'";

    private static string ConfigurationString(string value) => $"'{value.Replace(@"\", @"\\").Replace("'", "''")}'";

    private static async Task CreateOwnedDirectoryAsync(string path, string? osUser, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (osUser is not null)
            await CommandRunner.RunAsync("chown", [$"{osUser}:", path], cancellationToken: cancellationToken);
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }
}
