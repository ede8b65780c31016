using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>
/// <c>Postgres:ReadReplicas</c> (default 0): how many streaming hot standbys serve the api's read-only work as
/// <c>ConnectionStrings:imsdb-read</c>. Local mode starts them (<see cref="LocalPostgresReplicaExtensions"/>);
/// external and publish mode take the operator's <c>imsdb-read</c> connection string instead.
/// </summary>
public static class PostgresReadReplicas
{
    public const string ConfigurationKey = "Postgres:ReadReplicas";
    public const string ConnectionName = "imsdb-read";

    // Each standby replays all of the primary's writes: on one machine more only compete for the same cores and disk.
    public const int Maximum = 8;

    /// <summary>The role the standbys stream WAL as: REPLICATION and LOGIN, nothing else (no rights on any table).</summary>
    public const string ReplicationRole = "ims_replication";

    public static int FromConfiguration(IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text))
            return 0;
        return int.TryParse(text, out var count) && count is >= 0 and <= Maximum
            ? count
            : throw new InvalidOperationException($"{ConfigurationKey} must be a number of read replicas from 0 to {Maximum}; it is '{text}'.");
    }

    /// <summary>The dashboard name of standby <paramref name="index"/> (1-based): postgres-replica-1, ...</summary>
    public static string ResourceName(int index) => $"{ImsPostgresExtensions.ServerName}-replica-{index}";

    /// <summary>The physical replication slot on the primary that keeps the WAL standby <paramref name="index"/> still needs.</summary>
    public static string SlotName(int index) => $"ims_replica_{index}";

    /// <summary>Next to the primary's: <c>.../pgdata</c> has its standbys in <c>.../pgdata-replica-1</c>, ...</summary>
    public static string DataDirectory(string primaryDataDirectory, int index) =>
        $"{Path.TrimEndingDirectorySeparator(primaryDataDirectory)}-replica-{index}";
}
