using System.Diagnostics;
using System.ComponentModel;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>Finds the directory holding this machine's PostgreSQL server binaries (postgres and initdb).</summary>
public static partial class PostgresBinaries
{
    public const string ConfigurationKey = "Postgres:BinDirectory";

    public const string SearchedPlaces =
        "Postgres:BinDirectory, 'pg_config --bindir', /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, " +
        "/opt/homebrew/opt/postgresql@*/bin, /usr/local/opt/postgresql@*/bin, PATH";

    private static readonly string ExecutableSuffix = OperatingSystem.IsWindows() ? ".exe" : "";

    public static string? TryFind(IConfiguration configuration)
    {
        if (configuration[ConfigurationKey] is { Length: > 0 } configured)
        {
            return HasServerBinaries(configured)
                ? configured
                : throw new InvalidOperationException($"{ConfigurationKey} is '{configured}', but it holds no postgres and initdb executables.");
        }

        return Candidates().FirstOrDefault(HasServerBinaries);
    }

    public static string Find(IConfiguration configuration) =>
        TryFind(configuration) ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries were found (looked in {SearchedPlaces}). Install the PostgreSQL server " +
            $"(e.g. 'apt install postgresql' or 'brew install postgresql@17') or set {ConfigurationKey}.");

    public static string Executable(string binDirectory, string name) => Path.Combine(binDirectory, name + ExecutableSuffix);

    private static bool HasServerBinaries(string directory) =>
        File.Exists(Executable(directory, "postgres")) && File.Exists(Executable(directory, "initdb"));

    private static IEnumerable<string> Candidates()
    {
        if (PgConfigBinDirectory() is { } fromPgConfig)
        {
            yield return fromPgConfig;
        }

        foreach (var directory in NewestFirst(Subdirectories("/usr/lib/postgresql", "*").Select(d => Path.Combine(d, "bin"))))
        {
            yield return directory;
        }

        var versioned = Subdirectories("/usr", "pgsql-*")
            .Concat(Subdirectories("/opt/homebrew/opt", "postgresql@*"))
            .Concat(Subdirectories("/usr/local/opt", "postgresql@*"))
            .Select(d => Path.Combine(d, "bin"));
        foreach (var directory in NewestFirst(versioned))
        {
            yield return directory;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return directory;
        }
    }

    private static IEnumerable<string> Subdirectories(string parent, string pattern) =>
        Directory.Exists(parent) ? Directory.EnumerateDirectories(parent, pattern) : [];

    private static IEnumerable<string> NewestFirst(IEnumerable<string> directories) =>
        directories.OrderByDescending(MajorVersion);

    private static int MajorVersion(string path) =>
        VersionNumber().Match(path) is { Success: true } match ? int.Parse(match.Value) : 0;

    private static string? PgConfigBinDirectory()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(TimeSpan.FromSeconds(5)) && process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex VersionNumber();
}
