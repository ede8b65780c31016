using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ImsCrawler.Migrator.Cli;

/// <summary>Connection parts given explicitly on the command line (null when not given).</summary>
public sealed record ConnectionOptions(string? Host = null, int? Port = null, string? User = null, string? Password = null, string? Database = null);

/// <summary>
/// Builds the target connection string. For each part the first of these wins:
/// explicit option, the <c>ConnectionStrings:imsdb</c> connection string, the environment default
/// (PG_HOST, PG_PORT, PG_USER, PGPASSWORD, read through configuration), the built-in default
/// (localhost, 5432, postgres, no password, database ims_crawler).
/// </summary>
public static class ConnectionResolver
{
    public const string ConnectionStringName = "imsdb";
    public const string DefaultDatabase = "ims_crawler";

    public static string Resolve(ConnectionOptions explicitOptions, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName) ?? "";
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Host = explicitOptions.Host ?? NullIfEmpty(builder.Host) ?? NullIfEmpty(configuration["PG_HOST"]) ?? "localhost";
        builder.Port = explicitOptions.Port ?? (SpecifiesPort(connectionString) ? builder.Port : EnvironmentPort(configuration) ?? 5432);
        builder.Username = explicitOptions.User ?? NullIfEmpty(builder.Username) ?? NullIfEmpty(configuration["PG_USER"]) ?? "postgres";
        builder.Password = explicitOptions.Password ?? NullIfEmpty(builder.Password) ?? NullIfEmpty(configuration["PGPASSWORD"]);
        builder.Database = explicitOptions.Database ?? NullIfEmpty(builder.Database) ?? DefaultDatabase;
        return builder.ConnectionString;
    }

    private static bool SpecifiesPort(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey("Port");

    private static int? EnvironmentPort(IConfiguration configuration)
    {
        var value = configuration["PG_PORT"];
        if (string.IsNullOrEmpty(value))
            return null;
        return int.TryParse(value, out var port) ? port : throw new FormatException($"PG_PORT '{value}' is not a port number.");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
