using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace ImsCrawler.TestSupport;

/// <summary>
/// What <see cref="LocalPostgresCluster"/> and <see cref="PostgresStandby"/> both need to run the machine's PostgreSQL
/// programs: postgres, initdb and pg_basebackup refuse root, so under root they run as the <c>postgres</c> OS user via
/// setpriv (which execs in place, so our signals reach postgres), with data directories where that user can reach them.
/// </summary>
internal static class PostgresProcesses
{
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const string OsUser = "postgres";

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Where throwaway data directories go: /tmp under root (the postgres user cannot reach /root), else the temp path.</summary>
    public static string TempRoot => IsRoot ? "/tmp" : Path.GetTempPath();

    public static ProcessStartInfo StartInfo(string executable, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(IsRoot ? "/usr/bin/setpriv" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot)
            foreach (var argument in new[] { "--reuid", OsUser, "--regid", OsUser, "--init-groups", "--", executable })
                startInfo.ArgumentList.Add(argument);
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        return startInfo;
    }

    /// <summary>Starts a server process whose output goes to <paramref name="log"/>.</summary>
    public static Process StartServer(ProcessStartInfo startInfo, ServerLog log)
    {
        var server = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        server.OutputDataReceived += (_, e) => log.Remember(e.Data);
        server.ErrorDataReceived += (_, e) => log.Remember(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Returns once <paramref name="connectionString"/> connects; fails with the server's log when the process exits
    /// first or after a minute (a standby answers 57P03 "starting up" until it reaches a consistent state).
    /// </summary>
    public static async Task WaitUntilAcceptingConnectionsAsync(Process process, string connectionString, ServerLog log, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 2 }.ConnectionString;
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode}: {log}");
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}

/// <summary>The last 200 lines a server wrote, for the message of a test that failed on it.</summary>
internal sealed class ServerLog
{
    private readonly ConcurrentQueue<string> lines = new();

    public void Remember(string? line)
    {
        if (line is null)
            return;
        lines.Enqueue(line);
        while (lines.Count > 200)
            lines.TryDequeue(out _);
    }

    public override string ToString() => string.Join('\n', lines);
}
