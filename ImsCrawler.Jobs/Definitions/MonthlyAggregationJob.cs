using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using Npgsql;

namespace ImsCrawler.Jobs.Definitions;

/// <summary>ims.aggregate_monthly_stats(year, month); rows affected = analytics_monthly rows of that month afterwards.</summary>
public sealed class MonthlyAggregationJob(NpgsqlDataSource dataSource) : IJob
{
    public JobDefinition Definition => JobDefinitions.MonthlyAggregation;

    public async Task<JobOutcome> RunAsync(JobPeriod period, CancellationToken cancellationToken)
    {
        var (year, month) = period.Month;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "select ims.aggregate_monthly_stats(@year, @month)", new { year, month }, transaction, commandTimeout: 0,
            cancellationToken: cancellationToken));
        var rows = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from ims.analytics_monthly where year = @year and month = @month", new { year, month }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new JobOutcome(rows);
    }
}
