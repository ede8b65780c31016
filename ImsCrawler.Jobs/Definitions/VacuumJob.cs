using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Scheduling;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImsCrawler.Jobs.Definitions;

/// <summary>VACUUM (ANALYZE) of the configured tables of schema ims; rows affected = number of tables.</summary>
public sealed class VacuumJob(NpgsqlDataSource dataSource, IOptions<JobsOptions> options) : IJob
{
    public JobDefinition Definition => JobDefinitions.Vacuum;

    public async Task<JobOutcome> RunAsync(JobPeriod period, CancellationToken cancellationToken)
    {
        // Names were checked against a plain-identifier pattern at start-up; VACUUM cannot run in a transaction.
        var tables = options.Value.Vacuum.EffectiveTables;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"VACUUM (ANALYZE) {string.Join(", ", tables.Select(table => $"ims.\"{table}\""))}", connection)
        {
            CommandTimeout = 0,
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new JobOutcome(tables.Count, new { tables });
    }
}
