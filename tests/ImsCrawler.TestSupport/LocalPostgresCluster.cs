using System.Diagnostics;
using Npgsql;
using static ImsCrawler.TestSupport.PostgresProcesses;

namespace ImsCrawler.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster (durability off) in a fresh temp directory, stopped and deleted when the test
/// process exits (or when disposed). postgres and initdb refuse to run as root, so under root they run as the
/// <c>postgres</c> OS user via setpriv (which execs in place, so our signals reach postgres).
/// Fault tests stop it (fast shutdown, or immediate: as if it crashed) and start it again on the same port.
/// </summary>
public sealed class LocalPostgresCluster : IDisposable
{
    private const string SuperUser = "postgres";
    private const string DirectoryPrefix = "ims-test-pg-";

    private readonly string binDirectory;
    private readonly string dataDirectory;
    private readonly ServerLog serverLog = new();
    private readonly bool durableCommits;
    private Process? server;

    private LocalPostgresCluster(string binDirectory, string dataDirectory, int port, bool durableCommits)
    {
        this.binDirectory = binDirectory;
        this.dataDirectory = dataDirectory;
        this.durableCommits = durableCommits;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = SuperUser, Database = "postgres", IncludeErrorDetail = true,
    }.ConnectionString;

    /// <param name="durableCommits">
    /// Keep synchronous_commit on, so a commit the server acknowledged survives an immediate shutdown (a crash of
    /// PostgreSQL, not of the machine: fsync stays off). Off by default: faster, and nothing else kills the server.
    /// </param>
    public static async Task<LocalPostgresCluster> StartAsync(bool durableCommits = false)
    {
        DeleteAbandonedClusters(TempRoot);
        var cluster = new LocalPostgresCluster(PostgresBinaries.FindDirectory(), Path.Combine(TempRoot, $"{DirectoryPrefix}{Guid.NewGuid():N}"), FreeTcpPort(),
            durableCommits);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopAndDelete();
        await cluster.InitDbAsync();
        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>
    /// Stops the server: fast shutdown (SIGINT: sessions are terminated with admin_shutdown, a checkpoint is written) or
    /// immediate (SIGQUIT: every process quits at once, as on a crash; the next start recovers from the WAL).
    /// </summary>
    public async Task StopAsync(bool immediate = false)
    {
        if (server is not { HasExited: false } running)
            return;
        _ = Kill(running.Id, immediate ? SigQuit : SigInt);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await running.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Starts the stopped server again on the same port and data directory; returns once it accepts connections.</summary>
    public Task StartAgainAsync() => server is { HasExited: false }
        ? throw new InvalidOperationException("The server is running.")
        : StartServerAsync();

    public void Dispose() => StopAndDelete();

    private async Task InitDbAsync()
    {
        // initdb creates the data directory itself (as the postgres user under root), so no chown is needed.
        string[] common = ["-D", dataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"];
        var (exitCode, output) = await RunToEndAsync("initdb", [.. common, "--locale=C.UTF-8"]);
        if (exitCode != 0)
            (exitCode, output) = await RunToEndAsync("initdb", [.. common, "--no-locale"]);
        if (exitCode != 0)
            throw new InvalidOperationException($"initdb failed ({exitCode}): {output}");
        // The superuser needs no password; every other role must give its own, as on a real server,
        // so tests of login roles (the crawler's ims_user, the services' logins) check real authentication.
        // Overwritten in place: the file keeps its owner (the postgres OS user under root).
        // The replication line lets PostgresStandby stream from it ('all' does not cover replication; wal_level=replica is the default).
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "pg_hba.conf"), $"""
            host all {SuperUser} 127.0.0.1/32 trust
            host all all 127.0.0.1/32 scram-sha-256
            host replication {SuperUser} 127.0.0.1/32 trust
            """ + "\n");
    }

    private async Task StartServerAsync()
    {
        server = StartServer(StartInfo("postgres",
        [
            "-D", dataDirectory, "-p", Port.ToString(),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
            "-c", "fsync=off", "-c", $"synchronous_commit={(durableCommits ? "on" : "off")}", "-c", "full_page_writes=off",
            "-c", "max_connections=200",
            // A test standby (PostgresStandby) that is stopped and started again resumes streaming from where it was;
            // the clones the tests make write WAL fast, and without this the checkpoints recycle the segments it needs
            // ("requested WAL segment ... has already been removed") and it never catches up.
            "-c", "wal_keep_size=1GB",
        ]), serverLog);
        await WaitUntilAcceptingConnectionsAsync(server, ConnectionString, serverLog, "postgres");
    }

    private void StopAndDelete()
    {
        try
        {
            if (server is { HasExited: false })
            {
                _ = Kill(server.Id, SigInt); // fast shutdown: disconnect clients, no checkpoint wait
                if (!server.WaitForExit(TimeSpan.FromSeconds(10)))
                    server.Kill(entireProcessTree: true);
            }
            DeleteDirectory(dataDirectory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"Could not clean up test cluster {dataDirectory}: {exception.Message}");
        }
    }

    /// <summary>Removes data directories left behind by test processes that were killed before cleaning up.</summary>
    private static void DeleteAbandonedClusters(string tempRoot)
    {
        foreach (var directory in Directory.EnumerateDirectories(tempRoot, $"{DirectoryPrefix}*"))
        {
            if (!IsServerRunning(directory) && Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddMinutes(-10))
                DeleteDirectory(directory);
        }
    }

    private static bool IsServerRunning(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        try
        {
            return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Kill(pid, 0) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static void DeleteDirectory(string directory)
    {
        // postgres' last writes may still be landing right after it exited.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(100);
            }
        }
    }

    private async Task<(int ExitCode, string Output)> RunToEndAsync(string program, string[] arguments)
    {
        using var process = Process.Start(StartInfo(program, arguments)) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private ProcessStartInfo StartInfo(string program, string[] arguments) =>
        PostgresProcesses.StartInfo(Path.Combine(binDirectory, program), arguments);
}
