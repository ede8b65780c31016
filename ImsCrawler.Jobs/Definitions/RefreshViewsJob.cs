using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using Npgsql;

namespace ImsCrawler.Jobs.Definitions;

/// <summary>ims.refresh_materialized_views(); rows affected = rows in the two views afterwards.</summary>
public sealed class RefreshViewsJob(NpgsqlDataSource dataSource) : IJob
{
    public JobDefinition Definition => JobDefinitions.RefreshViews;

    public async Task<JobOutcome> RunAsync(JobPeriod period, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "select ims.refresh_materialized_views()", commandTimeout: 0, cancellationToken: cancellationToken));
        var rows = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            select (select count(*) from ims.mv_daily_session_summary) + (select count(*) from ims.mv_issue_trends)
            """, cancellationToken: cancellationToken));
        return new JobOutcome(rows);
    }
}
