using System.Globalization;
using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using Npgsql;

namespace ImsCrawler.Jobs.Definitions;

/// <summary>ims.aggregate_daily_stats(day); rows affected = analytics_daily rows of that day afterwards.</summary>
public sealed class DailyAggregationJob(NpgsqlDataSource dataSource) : IJob
{
    public JobDefinition Definition => JobDefinitions.DailyAggregation;

    public async Task<JobOutcome> RunAsync(JobPeriod period, CancellationToken cancellationToken)
    {
        var day = PeriodKeys.Day(period.Day);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "select ims.aggregate_daily_stats(@day::date)", new { day }, transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        var rows = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from ims.analytics_daily where stat_date = @day::date", new { day }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new JobOutcome(rows);
    }
}
