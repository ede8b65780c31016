using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>The on-disk side of a local PostgreSQL server: its data directory, superuser password and databases.</summary>
public static partial class LocalPostgresCluster
{
    // No Unix socket lines: the server only listens on localhost TCP, always with a password.
    private const string HostBasedAuthentication = """
        # Written by the IMS Crawler AppHost.
        host all all 127.0.0.1/32 scram-sha-256
        host all all ::1/128      scram-sha-256
        """;

    // 'all' does not cover replication connections: the read replicas stream as their own role (Postgres:ReadReplicas).
    private const string ReplicationAuthentication = $"""
        # Read replicas (added by the IMS Crawler AppHost).
        host replication {PostgresReadReplicas.ReplicationRole} 127.0.0.1/32 scram-sha-256
        host replication {PostgresReadReplicas.ReplicationRole} ::1/128      scram-sha-256
        """;

    /// <summary>
    /// Creates the cluster on first use, checks it matches the binaries and (re)sets the superuser password; with a
    /// <paramref name="replicationPassword"/> the replication role may log in with it, without one it may not.
    /// </summary>
    public static async Task PrepareAsync(LocalPostgresOptions options, string password, string? replicationPassword,
        ILogger logger, CancellationToken cancellationToken)
    {
        await EnsureDataDirectoryAsync(options, cancellationToken);

        if (!File.Exists(Path.Combine(options.DataDirectory, "PG_VERSION")))
        {
            logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", options.DataDirectory);
            await InitializeAsync(options, logger, cancellationToken);
        }

        await EnsureSameMajorVersionAsync(options, cancellationToken);

        await EnsureReplicationAuthenticationAsync(options, cancellationToken);
        // The password parameters are generated per run unless persisted, so make the existing cluster accept them.
        await SetPasswordsAsync(options, password, replicationPassword, cancellationToken);
        logger.LogInformation("PostgreSQL data directory: {DataDirectory} (delete it to start from an empty cluster)", options.DataDirectory);
    }

    public static async Task EnsureDatabaseAsync(string adminConnectionString, string databaseName, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);

        await using var exists = new NpgsqlCommand("select exists (select 1 from pg_database where datname = $1)", connection);
        exists.Parameters.Add(new() { Value = databaseName });
        if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        await using var create = new NpgsqlCommand($"create database {QuoteIdentifier(databaseName)}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task EnsureDataDirectoryAsync(LocalPostgresOptions options, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(options.DataDirectory);
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }

        if (options.OsUser is { } osUser)
        {
            await CommandRunner.RunAsync("chown", ["-R", $"{osUser}:", options.DataDirectory], cancellationToken: cancellationToken);
            await EnsureReachableByAsync(options, cancellationToken);
        }
    }

    private static async Task EnsureReachableByAsync(LocalPostgresOptions options, CancellationToken cancellationToken)
    {
        var test = LocalPostgresLaunch.Binary(options with { BinDirectory = "/usr/bin" }, "test", ["-w", options.DataDirectory]);
        var result = await CommandRunner.TryRunAsync(test.Command, test.Arguments, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The '{options.OsUser}' OS user cannot reach {options.DataDirectory} (a parent directory is not traversable, e.g. /root). " +
                $"Set {LocalPostgresOptions.DataDirectoryKey} to a directory under /var/tmp or another place it can reach.");
        }
    }

    private static async Task InitializeAsync(LocalPostgresOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        // trust only until pg_hba.conf is replaced below; the server has not started yet.
        var initdb = LocalPostgresLaunch.Binary(options, "initdb",
            ["-D", options.DataDirectory, "-U", LocalPostgresServerResource.SuperUser, "--auth=trust", "--encoding=UTF8", $"--locale={Utf8Locale}"]);
        var output = await CommandRunner.RunAsync(initdb.Command, initdb.Arguments, cancellationToken: cancellationToken);
        logger.LogDebug("{InitdbOutput}", output);

        await File.WriteAllTextAsync(Path.Combine(options.DataDirectory, "pg_hba.conf"), HostBasedAuthentication + "\n", cancellationToken);
    }

    private static string Utf8Locale => OperatingSystem.IsMacOS() ? "en_US.UTF-8" : "C.UTF-8";

    private static async Task EnsureSameMajorVersionAsync(LocalPostgresOptions options, CancellationToken cancellationToken)
    {
        var clusterVersion = (await File.ReadAllTextAsync(Path.Combine(options.DataDirectory, "PG_VERSION"), cancellationToken)).Trim();
        var versionOutput = await CommandRunner.RunAsync(PostgresBinaries.Executable(options.BinDirectory, "postgres"), ["--version"], cancellationToken: cancellationToken);
        var binariesVersion = MajorVersion().Match(versionOutput).Groups[1].Value;

        if (clusterVersion != binariesVersion)
        {
            throw new InvalidOperationException(
                $"The data directory {options.DataDirectory} holds a PostgreSQL {clusterVersion} cluster, but the binaries in " +
                $"{options.BinDirectory} are PostgreSQL {binariesVersion}. Delete the directory to start over, or point " +
                $"{LocalPostgresOptions.DataDirectoryKey} or {PostgresBinaries.ConfigurationKey} elsewhere.");
        }
    }

    /// <summary>Drops the replication slots of read replicas that are no longer configured, so they stop holding WAL.</summary>
    public static async Task DropUnusedReplicationSlotsAsync(string adminConnectionString, int readReplicas, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand("""
            select pg_drop_replication_slot(slot_name) from pg_replication_slots
            where slot_name ~ '^ims_replica_[0-9]+$' and substring(slot_name from 13)::int > $1 and not active
            """, connection);
        drop.Parameters.Add(new() { Value = readReplicas });
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task EnsureReplicationAuthenticationAsync(LocalPostgresOptions options, CancellationToken cancellationToken)
    {
        // Clusters made before read replicas existed lack the lines; the file keeps its owner when appended to.
        var path = Path.Combine(options.DataDirectory, "pg_hba.conf");
        if (!(await File.ReadAllTextAsync(path, cancellationToken)).Contains($"replication {PostgresReadReplicas.ReplicationRole}", StringComparison.Ordinal))
        {
            await File.AppendAllTextAsync(path, ReplicationAuthentication + "\n", cancellationToken);
        }
    }

    // Single-user mode needs no authentication and no network (~0.3 s); it fails if a server already runs on the directory.
    // It reads one statement per line.
    private static async Task SetPasswordsAsync(LocalPostgresOptions options, string password, string? replicationPassword, CancellationToken cancellationToken)
    {
        const string Role = PostgresReadReplicas.ReplicationRole;
        var single = LocalPostgresLaunch.Binary(options, "postgres", ["--single", "-D", options.DataDirectory, "postgres"]);
        string[] statements = replicationPassword is null
            ? [$"do $$begin if exists (select from pg_roles where rolname = '{Role}') then alter role {Role} with nologin; end if; end$$;"]
            : [$"do $$begin if not exists (select from pg_roles where rolname = '{Role}') then create role {Role}; end if; end$$;",
               $"alter role {Role} with login replication password {Literal(replicationPassword)};"];
        var input = string.Join('\n', [$"alter role {LocalPostgresServerResource.SuperUser} with password {Literal(password)};", .. statements]) + "\n";
        var output = await CommandRunner.RunAsync(single.Command, single.Arguments, standardInput: input, cancellationToken: cancellationToken);
        if (output.Contains("ERROR:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Setting the PostgreSQL passwords failed: {output}");
        }
    }

    private static string Literal(string value) => $"'{value.Replace("'", "''")}'";

    private static string QuoteIdentifier(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")]
    private static partial Regex MajorVersion();
}
