using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ImsCrawler.Shared.Postgres;

/// <summary>A PostgreSQL program (pg_dump, pg_restore, ...) and its major version.</summary>
public sealed record PostgresProgram(string Path, int MajorVersion);

/// <summary>
/// Where PostgreSQL's programs are on this machine: <c>pg_config --bindir</c>, /usr/lib/postgresql/*/bin (Debian,
/// Ubuntu), /usr/pgsql-*/bin (RHEL), Homebrew's postgresql@*, then PATH; versioned folders newest first. One
/// answer for the AppHost's local server, the Jobs service's pg_dump and the tests' throwaway clusters.
/// </summary>
public static partial class PostgresInstallations
{
    public const string SearchedPlaces =
        "'pg_config --bindir', /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, /opt/homebrew/opt/postgresql@*/bin, " +
        "/usr/local/opt/postgresql@*/bin, PATH";

    private static readonly string ExecutableSuffix = OperatingSystem.IsWindows() ? ".exe" : "";

    public static string Executable(string binDirectory, string name) => System.IO.Path.Combine(binDirectory, name + ExecutableSuffix);

    /// <summary>Whether <paramref name="directory"/> holds a server (postgres and initdb).</summary>
    public static bool HasServer(string? directory) =>
        !string.IsNullOrEmpty(directory)
        && File.Exists(Executable(directory, "postgres")) && File.Exists(Executable(directory, "initdb"));

    /// <summary>The first directory with a server, in search order; null when there is none.</summary>
    public static string? FindServerDirectory() => CandidateDirectories().FirstOrDefault(HasServer);

    /// <summary>The newest <paramref name="program"/> in <paramref name="binDirectory"/>, or anywhere searched when it is empty.</summary>
    public static PostgresProgram? FindNewest(string program, string? binDirectory = null)
    {
        var directories = string.IsNullOrWhiteSpace(binDirectory) ? CandidateDirectories() : [binDirectory];
        return directories
            .Select(directory => Executable(directory, program))
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MajorVersionOf(path) is { } major ? new PostgresProgram(path, major) : null)
            .OfType<PostgresProgram>()
            .OrderByDescending(found => found.MajorVersion)
            .FirstOrDefault();
    }

    public static IEnumerable<string> CandidateDirectories()
    {
        if (Run("pg_config", "--bindir")?.Trim() is { Length: > 0 } fromPgConfig)
            yield return fromPgConfig;
        foreach (var directory in NewestFirst(Subdirectories("/usr/lib/postgresql", "*")))
            yield return directory;
        var versioned = Subdirectories("/usr", "pgsql-*")
            .Concat(Subdirectories("/opt/homebrew/opt", "postgresql@*"))
            .Concat(Subdirectories("/usr/local/opt", "postgresql@*"));
        foreach (var directory in NewestFirst(versioned))
            yield return directory;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            yield return directory;
    }

    /// <summary>"pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" → 15; "pg_dump (PostgreSQL) 9.6.24" → 9.</summary>
    public static int? MajorVersionOf(string executable)
    {
        var output = Run(executable, "--version");
        var match = output is null ? null : ProgramVersion().Match(output);
        return match is { Success: true } ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static IEnumerable<string> Subdirectories(string parent, string pattern) =>
        Directory.Exists(parent)
            ? Directory.EnumerateDirectories(parent, pattern).Select(directory => System.IO.Path.Combine(directory, "bin"))
            : [];

    private static IEnumerable<string> NewestFirst(IEnumerable<string> directories) =>
        directories.OrderByDescending(path => FolderVersion().Match(path) is { Success: true } match
            ? int.Parse(match.Value, CultureInfo.InvariantCulture)
            : 0);

    private static string? Run(string program, string argument)
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
            return process.WaitForExit(TimeSpan.FromSeconds(10)) && process.ExitCode == 0 ? output : null;
        }
        catch (Win32Exception)
        {
            return null; // not installed
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex ProgramVersion();

    [GeneratedRegex(@"\d+")]
    private static partial Regex FolderVersion();
}
