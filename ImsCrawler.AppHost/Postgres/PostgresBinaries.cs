using ImsCrawler.Shared.Postgres;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>The directory of this machine's PostgreSQL server binaries: <c>Postgres:BinDirectory</c>, else <see cref="PostgresInstallations"/>.</summary>
public static class PostgresBinaries
{
    public const string ConfigurationKey = "Postgres:BinDirectory";

    public const string SearchedPlaces = $"{ConfigurationKey}, {PostgresInstallations.SearchedPlaces}";

    public static string? TryFind(IConfiguration configuration)
    {
        if (configuration[ConfigurationKey] is { Length: > 0 } configured)
            return PostgresInstallations.HasServer(configured)
                ? configured
                : throw new InvalidOperationException($"{ConfigurationKey} is '{configured}', but it holds no postgres and initdb executables.");
        return PostgresInstallations.FindServerDirectory();
    }

    public static string Find(IConfiguration configuration) =>
        TryFind(configuration) ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries were found (looked in {SearchedPlaces}). Install the PostgreSQL server " +
            $"(e.g. 'apt install postgresql' or 'brew install postgresql@17') or set {ConfigurationKey}.");

    public static string Executable(string binDirectory, string name) => PostgresInstallations.Executable(binDirectory, name);
}
