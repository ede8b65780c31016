using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImsCrawler.Jobs.Definitions;

/// <summary>
/// VACUUM (ANALYZE) of the configured tables of schema ims; rows affected = number of tables. Before
/// PostgreSQL 17 only a table's owner may vacuum it, so this job alone uses the maintenance connection
/// (<c>ConnectionStrings:imsdb-maintenance</c>, the owner's; default: the service's own), and fails with
/// that explanation rather than letting PostgreSQL skip every table with a warning.
/// </summary>
public sealed class VacuumJob(MaintenanceConnectionString maintenance, IOptions<JobsOptions> options) : IJob
{
    public JobDefinition Definition => JobDefinitions.Vacuum;

    public async Task<JobOutcome> RunAsync(JobPeriod period, CancellationToken cancellationToken)
    {
        // Names were checked against a plain-identifier pattern at start-up; VACUUM cannot run in a transaction.
        var tables = options.Value.Vacuum.EffectiveTables;
        await using var connection = new NpgsqlConnection(maintenance.Value);
        await connection.OpenAsync(cancellationToken);
        await EnsureOwnsAsync(connection, tables, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"VACUUM (ANALYZE) {string.Join(", ", tables.Select(table => $"ims.\"{table}\""))}", connection)
        {
            CommandTimeout = 0,
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new JobOutcome(tables.Count, new { tables });
    }

    private static async Task EnsureOwnsAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var notOwned = (await connection.QueryAsync<string>(new CommandDefinition("""
            select c.relname::text from pg_class c
            where c.relnamespace = 'ims'::regnamespace and c.relname = any(@tables)
              and not pg_has_role(current_user, c.relowner, 'USAGE')
              and not (select rolsuper from pg_roles where rolname = current_user)
            """, new { tables = tables.ToArray() }, cancellationToken: cancellationToken))).AsList();
        if (notOwned.Count > 0)
            throw new InvalidOperationException(
                $"VACUUM needs the tables' owner, and {connection.UserName} does not own {string.Join(", ", notOwned)}: " +
                $"set ConnectionStrings:{MaintenanceConnectionString.Name} to the owner's connection (the AppHost does).");
    }
}

/// <summary>The owner's connection string, used only for what PostgreSQL lets no one else do (VACUUM).</summary>
public sealed record MaintenanceConnectionString(string Value)
{
    public const string Name = "imsdb-maintenance";

    public static MaintenanceConnectionString From(IConfiguration configuration) =>
        new(configuration.GetConnectionString(Name) is { Length: > 0 } owner ? owner : ImsDatabaseConnection.Resolve(configuration));
}
