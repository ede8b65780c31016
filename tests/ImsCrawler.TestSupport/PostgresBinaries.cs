using ImsCrawler.Shared.Postgres;

namespace ImsCrawler.TestSupport;

/// <summary>The PostgreSQL server binaries (initdb, postgres) for throwaway clusters: env IMS_PG_BINDIR, else <see cref="PostgresInstallations"/>.</summary>
public static class PostgresBinaries
{
    public static string FindDirectory()
    {
        if (Environment.GetEnvironmentVariable("IMS_PG_BINDIR") is { Length: > 0 } configured && PostgresInstallations.HasServer(configured))
            return configured;
        return PostgresInstallations.FindServerDirectory()
            ?? throw new InvalidOperationException(
                $"PostgreSQL server binaries (initdb, postgres) not found via IMS_PG_BINDIR or {PostgresInstallations.SearchedPlaces}: " +
                "install postgresql, set IMS_PG_BINDIR, or set IMS_TEST_CONNECTION to a superuser connection string of a running server.");
    }
}
