using System.Diagnostics;

namespace ImsCrawler.TestSupport;

/// <summary>
/// Finds the PostgreSQL server binaries (initdb, postgres): env IMS_PG_BINDIR, else
/// <c>pg_config --bindir</c>, else the highest version under /usr/lib/postgresql/*/bin.
/// </summary>
public static class PostgresBinaries
{
    public static string FindDirectory()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("IMS_PG_BINDIR"), PgConfigBinDir() }
            .Concat(DebianBinDirs());
        return candidates.FirstOrDefault(HasServerBinaries)
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, postgres) not found via IMS_PG_BINDIR, pg_config --bindir or /usr/lib/postgresql/*/bin: " +
                "install postgresql, set IMS_PG_BINDIR, or set IMS_TEST_CONNECTION to a superuser connection string of a running server.");
    }

    private static bool HasServerBinaries(string? directory) =>
        !string.IsNullOrEmpty(directory)
        && File.Exists(Path.Combine(directory, "initdb"))
        && File.Exists(Path.Combine(directory, "postgres"));

    private static string? PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed
        }
    }

    private static IEnumerable<string> DebianBinDirs()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return [];
        return Directory.EnumerateDirectories(root)
            .Select(directory => (Version: int.TryParse(Path.GetFileName(directory), out var version) ? version : -1, Directory: directory))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => Path.Combine(candidate.Directory, "bin"));
    }
}
