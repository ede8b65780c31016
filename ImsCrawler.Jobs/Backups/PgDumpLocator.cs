using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ImsCrawler.Jobs.Backups;

/// <summary>A pg_dump (or pg_restore) executable and its major version.</summary>
public sealed record PgClientTool(string Path, int MajorVersion);

/// <summary>
/// Finds the newest pg_dump on the machine: Jobs:Backup:BinDirectory when set, else PATH,
/// <c>pg_config --bindir</c>, /usr/lib/postgresql/*/bin (Debian, Ubuntu) and /usr/pgsql-*/bin (RHEL).
/// </summary>
public static partial class PgDumpLocator
{
    public const string SearchedPlaces = "PATH, pg_config --bindir, /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin";

    public static PgClientTool? FindNewest(string program, string? binDirectory)
    {
        var directories = string.IsNullOrWhiteSpace(binDirectory) ? CandidateDirectories() : [binDirectory];
        return directories
            .Select(directory => System.IO.Path.Combine(directory, program))
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MajorVersionOf(path) is { } major ? new PgClientTool(path, major) : null)
            .OfType<PgClientTool>()
            .OrderByDescending(tool => tool.MajorVersion)
            .FirstOrDefault();
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            yield return directory;
        if (RunQuietly("pg_config", "--bindir") is { Length: > 0 } pgConfigBin)
            yield return pgConfigBin.Trim();
        foreach (var pattern in new[] { ("/usr/lib/postgresql", "*"), ("/usr", "pgsql-*") })
        {
            if (!Directory.Exists(pattern.Item1))
                continue;
            foreach (var directory in Directory.EnumerateDirectories(pattern.Item1, pattern.Item2))
                yield return System.IO.Path.Combine(directory, "bin");
        }
    }

    /// <summary>"pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" → 15; "pg_dump (PostgreSQL) 9.6.24" → 9.</summary>
    private static int? MajorVersionOf(string executable)
    {
        var output = RunQuietly(executable, "--version");
        var match = output is null ? null : VersionPattern().Match(output);
        return match is { Success: true } ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static string? RunQuietly(string program, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, argument)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();
}
