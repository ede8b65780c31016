using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.Migrator.Database;

/// <summary>Creates the target database when it is missing, through the <c>postgres</c> maintenance database.</summary>
public static class DatabaseCreator
{
    public static async Task<bool> ExistsAsync(ConnectionFactory connections, CancellationToken ct)
    {
        try
        {
            await using var connection = await connections.OpenTargetAsync(ct);
            return true;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }
    }

    /// <returns>true when this call created the database.</returns>
    public static async Task<bool> EnsureExistsAsync(ConnectionFactory connections, ILogger logger, CancellationToken ct)
    {
        if (await ExistsAsync(connections, ct))
            return false;
        await using var connection = await connections.OpenMaintenanceAsync(ct);
        var locale = await Utf8LocaleChooser.ChooseAsync(connection, ct);
        try
        {
            await using var command = new NpgsqlCommand(CreateDatabaseSql(connections.DatabaseName, locale), connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException exception) when (IsConcurrentCreation(exception))
        {
            return false;
        }
        logger.LogInformation("Created database {Database} (UTF8, LC_COLLATE {Collate}, LC_CTYPE {Ctype})",
            connections.DatabaseName, locale.Collate, locale.Ctype);
        return true;
    }

    public static string CreateDatabaseSql(string name, DatabaseLocale locale) =>
        $"CREATE DATABASE {Sql.QuoteIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8' " +
        $"LC_COLLATE {Sql.QuoteLiteral(locale.Collate)} LC_CTYPE {Sql.QuoteLiteral(locale.Ctype)}";

    // Another migrator created it between our check and our CREATE DATABASE.
    private static bool IsConcurrentCreation(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation;
}

public sealed record DatabaseLocale(string Collate, string Ctype);

/// <summary>
/// Picks the locale for a UTF-8 database: the server's default (template0's) when it is UTF-8
/// compatible, otherwise a UTF-8 libc locale the server knows (pg_collation), otherwise C.
/// </summary>
public static class Utf8LocaleChooser
{
    private const string DefaultLocaleSql =
        "SELECT datcollate, datctype, pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template0'";

    private const string Utf8CollationSql = """
        SELECT collcollate FROM pg_collation
        WHERE collprovider = 'c' AND collencoding IN (-1, pg_char_to_encoding('UTF8'))
          AND (collcollate ILIKE '%.utf8' OR collcollate ILIKE '%.utf-8')
        ORDER BY collcollate ILIKE 'C.%' DESC, collcollate ILIKE 'en\_US.%' DESC, collcollate
        LIMIT 1
        """;

    public static async Task<DatabaseLocale> ChooseAsync(NpgsqlConnection maintenance, CancellationToken ct)
    {
        var (defaultLocale, encoding) = await ReadDefaultLocaleAsync(maintenance, ct);
        if (IsUtf8Compatible(defaultLocale, encoding))
            return defaultLocale;
        await using var command = new NpgsqlCommand(Utf8CollationSql, maintenance);
        var utf8Locale = await command.ExecuteScalarAsync(ct) as string;
        return utf8Locale is null ? new DatabaseLocale("C", "C") : new DatabaseLocale(utf8Locale, utf8Locale);
    }

    public static bool IsUtf8Compatible(DatabaseLocale locale, string encoding) =>
        encoding == "UTF8" || (IsUtf8CompatibleLocale(locale.Collate) && IsUtf8CompatibleLocale(locale.Ctype));

    public static bool IsUtf8CompatibleLocale(string locale) =>
        locale is "C" or "POSIX"
        || locale.EndsWith(".utf8", StringComparison.OrdinalIgnoreCase)
        || locale.EndsWith(".utf-8", StringComparison.OrdinalIgnoreCase);

    private static async Task<(DatabaseLocale Locale, string Encoding)> ReadDefaultLocaleAsync(NpgsqlConnection maintenance, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(DefaultLocaleSql, maintenance);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (new DatabaseLocale(reader.GetString(0), reader.GetString(1)), reader.GetString(2));
    }
}
