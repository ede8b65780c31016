using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Resolves the IMS database connection string: <c>ConnectionStrings:imsdb</c> (what Aspire injects) wins;
/// outside Aspire the crawler's DATABASE_* variables are mapped onto Npgsql's settings.
/// </summary>
public static class ImsDatabaseConnection
{
    public const string ConnectionName = "imsdb";

    // SQLAlchemy's defaults, which the crawler's DATABASE_POOL_* variables were written against.
    private const int DefaultPoolSize = 5;
    private const int DefaultMaxOverflow = 10;

    public static string Resolve(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        if (string.IsNullOrWhiteSpace(configuration["DATABASE_HOST"]))
        {
            throw new InvalidOperationException(
                $"No database is configured. Set the connection string 'ConnectionStrings:{ConnectionName}' " +
                $"(environment variable ConnectionStrings__{ConnectionName}), or set DATABASE_HOST together with " +
                "DATABASE_PORT, DATABASE_NAME, DATABASE_USER and DATABASE_PASSWORD (optionally DATABASE_SCHEMA, " +
                "DATABASE_POOL_SIZE, DATABASE_MAX_OVERFLOW, DATABASE_POOL_TIMEOUT).");
        }

        return FromDatabaseVariables(configuration).ConnectionString;
    }

    internal static NpgsqlConnectionStringBuilder FromDatabaseVariables(IConfiguration configuration)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = configuration["DATABASE_HOST"],
            Port = ReadInt(configuration, "DATABASE_PORT") ?? NpgsqlConnection.DefaultPort,
            Database = configuration["DATABASE_NAME"] ?? "ims_crawler",
            Username = configuration["DATABASE_USER"],
            Password = configuration["DATABASE_PASSWORD"],
        };

        if (configuration["DATABASE_SCHEMA"] is { Length: > 0 } schema)
        {
            builder.SearchPath = schema;
        }

        ApplyPoolSettings(builder, configuration);
        return builder;
    }

    private static void ApplyPoolSettings(NpgsqlConnectionStringBuilder builder, IConfiguration configuration)
    {
        var poolSize = ReadInt(configuration, "DATABASE_POOL_SIZE");
        var maxOverflow = ReadInt(configuration, "DATABASE_MAX_OVERFLOW");
        if (poolSize is not null || maxOverflow is not null)
        {
            // SQLAlchemy keeps pool_size connections and opens up to max_overflow more under load.
            builder.MinPoolSize = poolSize ?? DefaultPoolSize;
            builder.MaxPoolSize = builder.MinPoolSize + (maxOverflow ?? DefaultMaxOverflow);
        }

        // Npgsql's Timeout bounds both opening a connection and waiting for a free pooled one, like pool_timeout.
        if (ReadInt(configuration, "DATABASE_POOL_TIMEOUT") is { } timeoutSeconds)
        {
            builder.Timeout = timeoutSeconds;
        }
    }

    private static int? ReadInt(IConfiguration configuration, string name)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new InvalidOperationException($"{name} must be a non-negative whole number, but is '{value}'.");
        }

        return number;
    }
}
