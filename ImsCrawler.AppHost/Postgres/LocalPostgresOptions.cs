using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <param name="BinDirectory">Where postgres and initdb live.</param>
/// <param name="DataDirectory">The cluster's data directory; it survives restarts, delete it to start over.</param>
/// <param name="OsUser">The unprivileged OS user to run the server as when the AppHost runs as root (postgres refuses root).</param>
/// <param name="Port">The TCP port on localhost, the same on every start (clients such as the crawler keep it in
/// their settings); null lets the orchestrator pick a free one each time.</param>
public sealed record LocalPostgresOptions(string BinDirectory, string DataDirectory, string? OsUser, int? Port = PostgresPort.Default)
{
    public const string DataDirectoryKey = "Postgres:DataDirectory";

    public static LocalPostgresOptions FromConfiguration(IConfiguration configuration)
    {
        var runsAsRoot = IsRoot();
        return new LocalPostgresOptions(
            PostgresBinaries.Find(configuration),
            Path.GetFullPath(configuration[DataDirectoryKey] is { Length: > 0 } configured ? configured : DefaultDataDirectory(runsAsRoot)),
            runsAsRoot ? "postgres" : null,
            PostgresPort.FromConfiguration(configuration));
    }

    // The postgres OS user cannot traverse root's 0700 home directory, so root's default lives in /var/tmp.
    private static string DefaultDataDirectory(bool runsAsRoot) => runsAsRoot
        ? "/var/tmp/ims-crawler/pgdata"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "ims-crawler", "pgdata");

    private static bool IsRoot() => !OperatingSystem.IsWindows() && NativeMethods.geteuid() == 0;

    private static class NativeMethods
    {
        [DllImport("libc")]
        internal static extern uint geteuid();
    }
}
