using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.Migrator.Database;

/// <summary>
/// A session-level advisory lock that serialises migrators on one database: it is held by the
/// connection that applies the scripts and released when that connection closes.
/// </summary>
public static class AdvisoryLock
{
    /// <summary>Fixed key ("IMSMIGR" in ASCII); advisory lock keys are per database.</summary>
    public const long Key = 0x494D534D494752;

    public static async Task AcquireAsync(NpgsqlConnection connection, ILogger logger, CancellationToken ct)
    {
        await using var tryLock = CreateCommand(connection, "SELECT pg_try_advisory_lock($1)");
        if ((bool)(await tryLock.ExecuteScalarAsync(ct))!)
            return;
        logger.LogInformation("Another migrator is running on this database; waiting for it to finish");
        await using var waitForLock = CreateCommand(connection, "SELECT pg_advisory_lock($1)");
        await waitForLock.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlCommand CreateCommand(NpgsqlConnection connection, string sql)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.Add(new() { Value = Key });
        return command;
    }
}
