using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImsCrawler.Jobs.Definitions;

/// <summary>
/// ims.delete_old_sessions for every active user, in batches of users (one transaction each). A user's
/// retention is preferences.retention_days when that is a positive whole number, else Jobs:Retention:DefaultDays.
/// Rows affected = sessions deleted.
/// </summary>
public sealed class RetentionJob(NpgsqlDataSource dataSource, IOptions<JobsOptions> options) : IJob
{
    public JobDefinition Definition => JobDefinitions.Retention;

    public async Task<JobOutcome> RunAsync(JobPeriod period, CancellationToken cancellationToken)
    {
        var settings = options.Value.Retention;
        var total = new BatchResult(0, null, 0, 0);
        var afterUserId = 0;
        while (true)
        {
            var batch = await DeleteBatchAsync(afterUserId, settings, cancellationToken);
            total = new BatchResult(total.Users + batch.Users, null, total.Sessions + batch.Sessions, total.Attachments + batch.Attachments);
            if (batch.Users < settings.UsersPerBatch || batch.LastUserId is not { } last)
                break;
            afterUserId = last;
        }
        return new JobOutcome(total.Sessions, new { users = total.Users, sessions = total.Sessions, attachments = total.Attachments });
    }

    private async Task<BatchResult> DeleteBatchAsync(int afterUserId, RetentionOptions settings, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await connection.QuerySingleAsync<BatchResult>(new CommandDefinition(BatchSql,
            new { afterUserId, batchSize = settings.UsersPerBatch, defaultDays = settings.DefaultDays },
            transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    // At most six digits: a positive whole number of days that cannot overflow an integer.
    private const string BatchSql = """
        with batch as (
            select u.user_id,
                   case when u.preferences ->> 'retention_days' ~ '^[1-9][0-9]{0,5}$'
                        then (u.preferences ->> 'retention_days')::integer
                        else @defaultDays end as days
            from ims.users u
            where u.is_active and u.user_id > @afterUserId
            order by u.user_id
            limit @batchSize
        )
        select count(*)::integer as Users, max(b.user_id) as LastUserId,
               coalesce(sum(d.deleted_sessions), 0)::bigint as Sessions,
               coalesce(sum(d.deleted_attachments), 0)::bigint as Attachments
        from batch b
        cross join lateral ims.delete_old_sessions(b.user_id, b.days) d
        """;

    private sealed record BatchResult(int Users, int? LastUserId, long Sessions, long Attachments);
}
