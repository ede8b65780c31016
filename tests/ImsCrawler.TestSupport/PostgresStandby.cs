using System.Diagnostics;
using Npgsql;
using static ImsCrawler.TestSupport.PostgresProcesses;

namespace ImsCrawler.TestSupport;

/// <summary>
/// A streaming hot standby of this test run's PostgreSQL server (<see cref="PostgresServer"/>), for tests of read
/// replicas: <c>pg_basebackup -R</c> into its own temp data directory, its own port, stopped and deleted when the test
/// process exits. <see cref="PauseReplayAsync"/> simulates lag, <see cref="StopAsync"/> a replica that is down.
/// Every database of the server is on it, including the ones <see cref="DatabaseFixture"/> clones after it started.
/// </summary>
/// <remarks>
/// <see cref="GetSharedAsync"/> starts one per process, lazily (a base backup of the test cluster takes a second or
/// two). A test that pauses or stops the shared one must resume or start it again, and such tests must not run in
/// parallel with other users of it (one class, or one collection); <see cref="CreateAsync"/> gives a test its own.
/// </remarks>
public sealed class PostgresStandby : IAsyncDisposable
{
    private const string DirectoryPrefix = "ims-test-pg-standby-";

    // The test host may be killed right after the last test, before or during ProcessExit. So a watchdog shell runs
    // beside the server and outlives the test host: it stops the server within a second of the test process's end
    // and deletes the data directory then, or when told to by SIGTERM (the test process's exit and DisposeAsync).
    // Arguments: the test process id, the data directory, then the postgres command line.
    private const string Watchdog = """
        owner=$1; directory=$2; shift 2; remove=
        trap 'remove=1; kill -INT $server 2>/dev/null' TERM
        "$@" & server=$!
        ( while [ -d /proc/$owner ]; do sleep 1; done; kill -INT $server 2>/dev/null ) & watchdog=$!
        status=0
        while kill -0 $server 2>/dev/null; do wait $server; status=$?; done
        kill $watchdog 2>/dev/null
        if [ -n "$remove" ] || [ ! -d /proc/$owner ]; then rm -rf "$directory"; fi
        exit $status
        """;
    private static readonly Lazy<Task<PostgresStandby>> Shared = new(CreateAsync);

    // A hot standby refuses to start unless these are at least the primary's.
    private static readonly string[] SettingsCopiedFromPrimary =
        ["max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions", "max_locks_per_transaction"];

    private readonly string binDirectory;
    private readonly string dataDirectory;
    private readonly string[] serverArguments;
    private readonly ServerLog serverLog = new();
    private Process? server;
    private int postmasterId;

    private PostgresStandby(string primaryConnectionString, string binDirectory, string dataDirectory, int port, string[] primarySettings)
    {
        PrimaryConnectionString = primaryConnectionString;
        this.binDirectory = binDirectory;
        this.dataDirectory = dataDirectory;
        Port = port;
        serverArguments =
        [
            "-D", dataDirectory, "-p", port.ToString(),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off",
            "-c", "hot_standby=on", "-c", "hot_standby_feedback=on", .. primarySettings,
        ];
    }

    public int Port { get; }

    /// <summary>The primary's superuser connection string (<see cref="PostgresServer.ConnectionString"/>).</summary>
    public string PrimaryConnectionString { get; }

    /// <summary>The standby's <c>postgres</c> database as the primary's superuser (roles and passwords are replicated).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(PrimaryConnectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    public bool IsRunning => server is { HasExited: false };

    /// <summary>The one standby of this test process, started on first use.</summary>
    public static Task<PostgresStandby> GetSharedAsync() => Shared.Value;

    /// <summary>A standby of its own (dispose it when done).</summary>
    public static async Task<PostgresStandby> CreateAsync()
    {
        var primary = await PostgresServer.GetAsync();
        var standby = new PostgresStandby(primary.ConnectionString, PostgresBinaries.FindDirectory(),
            Path.Combine(TempRoot, $"{DirectoryPrefix}{Guid.NewGuid():N}"), FreeTcpPort(), await PrimarySettingsAsync(primary.ConnectionString));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => standby.StopAndDelete();
        await standby.BaseBackupAsync();
        await standby.StartAsync();
        return standby;
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <summary><paramref name="database"/> on the standby as <paramref name="login"/> (e.g. the Api's own login).</summary>
    public string ConnectionStringFor(string database, string login, string password) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database, Username = login, Password = password }.ConnectionString;

    /// <summary>Waits until the standby has replayed everything the primary had committed when this was called.</summary>
    public async Task WaitForReplayAsync(TimeSpan? timeout = null)
    {
        var marker = await PrimaryMarkerAsync();
        await WaitUntilAsync($"select pg_last_wal_replay_lsn() > '{marker}'::pg_lsn", timeout, $"replay past {marker}");
    }

    /// <summary>Waits until the standby has received (not necessarily replayed) everything the primary had committed.</summary>
    public async Task WaitForReceiveAsync(TimeSpan? timeout = null)
    {
        var marker = await PrimaryMarkerAsync();
        await WaitUntilAsync($"select pg_last_wal_receive_lsn() > '{marker}'::pg_lsn", timeout, $"receiving past {marker}");
    }

    // A WAL record after everything committed so far, and flushed (the primary sends only flushed WAL): the test cluster
    // commits with synchronous_commit=off, so its last commits may sit in WAL buffers, neither written nor sent.
    // Returns where the record starts; a standby that has replayed past it has replayed all before it.
    private async Task<string> PrimaryMarkerAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PrimaryConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var synchronous = new NpgsqlCommand("set local synchronous_commit = on", connection, transaction))
            await synchronous.ExecuteNonQueryAsync();
        await using var marker = new NpgsqlCommand("select pg_logical_emit_message(true, 'ims-test-standby', '')::text", connection, transaction);
        var position = (string)(await marker.ExecuteScalarAsync())!;
        await transaction.CommitAsync();
        return position;
    }

    /// <summary>Stops applying WAL (it is still received): the standby lags behind the primary until <see cref="ResumeReplayAsync"/>.</summary>
    public async Task PauseReplayAsync()
    {
        await StandbyScalarAsync("select pg_wal_replay_pause()::text");
        await WaitUntilAsync("select pg_get_wal_replay_pause_state() = 'paused'", null, "replay to pause");
    }

    public Task ResumeReplayAsync() => StandbyScalarAsync("select pg_wal_replay_resume()::text");

    /// <summary>Stops the standby (fast shutdown: its connections are cut), as a replica that went down.</summary>
    public async Task StopAsync()
    {
        if (server is not { HasExited: false } running)
            return;
        _ = Kill(postmasterId, SigInt);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            // The watchdog exits with the server.
            await running.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _ = Kill(postmasterId, SigKill);
            running.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Starts the standby (again), on the same port; it catches up from where it stopped.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
            return;
        server = StartServer(StartInfo("/bin/sh",
            ["-c", Watchdog, "ims-test-standby", Environment.ProcessId.ToString(), dataDirectory, Path.Combine(binDirectory, "postgres"), .. serverArguments]),
            serverLog);
        await WaitUntilAcceptingConnectionsAsync(server, ConnectionString, serverLog, "The standby");
        postmasterId = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First());
    }

    public async ValueTask DisposeAsync()
    {
        if (server is { HasExited: false } running)
        {
            _ = Kill(running.Id, SigTerm);
            await running.WaitForExitAsync();
        }
        else
        {
            DeleteDirectory();
        }
    }

    private async Task BaseBackupAsync()
    {
        var primary = new NpgsqlConnectionStringBuilder(PrimaryConnectionString);
        // pg_basebackup makes the directory itself (as the postgres OS user under root). -R: standby.signal and primary_conninfo.
        var startInfo = StartInfo(Path.Combine(binDirectory, "pg_basebackup"),
        [
            "--pgdata", dataDirectory, "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast", "--no-sync",
            "--host", primary.Host!, "--port", primary.Port.ToString(), "--username", primary.Username!, "--no-password",
        ]);
        if (!string.IsNullOrEmpty(primary.Password))
            startInfo.Environment["PGPASSWORD"] = primary.Password;
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start pg_basebackup.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"pg_basebackup of the test server failed ({process.ExitCode}): {await output}{await error} " +
                "(the server must accept replication connections from its superuser, as the local test cluster does).");
    }

    private static async Task<string[]> PrimarySettingsAsync(string primaryConnectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(primaryConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select name, setting from pg_settings where name = any($1)", connection);
        command.Parameters.Add(new() { Value = SettingsCopiedFromPrimary });
        var settings = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            settings.AddRange(["-c", $"{reader.GetString(0)}={reader.GetString(1)}"]);
        return [.. settings];
    }

    private async Task WaitUntilAsync(string condition, TimeSpan? timeout, string what)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (await StandbyScalarAsync($"select ({condition})::text") != "true")
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The standby on port {Port} did not get to {what} in time. Its log:\n{serverLog}");
            await Task.Delay(20);
        }
    }

    private Task<string> StandbyScalarAsync(string sql) => ScalarAsync(ConnectionString, sql);

    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    // No waiting here: the test host may be killed any moment now, and the watchdog does the rest on its own.
    private void StopAndDelete()
    {
        if (server is { HasExited: false } running)
            _ = Kill(running.Id, SigTerm);
        else
            DeleteDirectory();
    }

    // Only while no server runs on it (else the watchdog deletes it once the server has stopped).
    private void DeleteDirectory()
    {
        if (Directory.Exists(dataDirectory))
            Directory.Delete(dataDirectory, recursive: true);
    }
}
