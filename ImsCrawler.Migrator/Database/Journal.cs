using ImsCrawler.Migrator.Scripts;
using Npgsql;

namespace ImsCrawler.Migrator.Database;

public sealed record JournalEntry(string ScriptName, string Sha256, DateTimeOffset AppliedAt, int DurationMs);

/// <summary>
/// The record of applied scripts, <c>migrator.applied_scripts</c>. It belongs to the Migrator, not to
/// <c>sql/</c>, so the scripts never have to know about it.
/// </summary>
public sealed class Journal(NpgsqlConnection connection)
{
    public const string TableName = "migrator.applied_scripts";

    private const string CreateSql = """
        CREATE SCHEMA IF NOT EXISTS migrator;
        CREATE TABLE IF NOT EXISTS migrator.applied_scripts (
            script_name text PRIMARY KEY,
            sha256 char(64) NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            duration_ms integer NOT NULL
        );
        """;

    public async Task<bool> ExistsAsync(CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT to_regclass('{TableName}') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        if (await ExistsAsync(ct))
            return;
        await using var command = new NpgsqlCommand(CreateSql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reads the journal; empty when the table does not exist (yet).</summary>
    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(CancellationToken ct)
    {
        if (!await ExistsAsync(ct))
            return [];
        await using var command = new NpgsqlCommand(
            $"SELECT script_name, sha256, applied_at, duration_ms FROM {TableName} ORDER BY script_name COLLATE \"C\"", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(ct))
            entries.Add(new JournalEntry(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3)));
        return entries;
    }

    /// <summary>Takes the checksum of a script whose applied text was only reworded (see <see cref="ScriptCatalog.RewordingsFile"/>).</summary>
    public async Task UpdateChecksumAsync(MigrationScript script, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"UPDATE {TableName} SET sha256 = $2 WHERE script_name = $1", connection);
        command.Parameters.Add(new() { Value = script.Name });
        command.Parameters.Add(new() { Value = script.Sha256 });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task RecordAsync(MigrationScript script, TimeSpan duration, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {TableName} (script_name, sha256, duration_ms) VALUES ($1, $2, $3)", connection, transaction);
        command.Parameters.Add(new() { Value = script.Name });
        command.Parameters.Add(new() { Value = script.Sha256 });
        command.Parameters.Add(new() { Value = (int)Math.Min(int.MaxValue, duration.TotalMilliseconds) });
        await command.ExecuteNonQueryAsync(ct);
    }
}
