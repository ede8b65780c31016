using Npgsql;
using Polly;
using Polly.Registry;

namespace ImsCrawler.Api.Data;

/// <summary>
/// Runs a unit of work in one transaction as one user: <c>SET LOCAL ROLE</c> from the user's role
/// and the transaction-local RLS user id, so row-level security does the isolation and nothing
/// outlives the transaction on the pooled connection. Transient faults retry the whole unit, so
/// the work must be idempotent (every write path here is).
/// </summary>
public sealed class UserDatabase(NpgsqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines)
{
    public async Task<T> RunAsync<T>(DatabaseUser user,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        var pipeline = pipelines.GetPipeline(DatabaseResilience.PipelineName);
        return await pipeline.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            await BecomeAsync(connection, transaction, user, token);
            var result = await work(connection, transaction, token);
            await transaction.CommitAsync(token);
            return result;
        }, cancellationToken);
    }

    public Task RunAsync(DatabaseUser user,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work,
        CancellationToken cancellationToken) =>
        RunAsync(user, async (connection, transaction, token) =>
        {
            await work(connection, transaction, token);
            return true;
        }, cancellationToken);

    private static async Task BecomeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        DatabaseUser user, CancellationToken cancellationToken)
    {
        // The role name comes from a fixed mapping, never from input; identifiers cannot be parameters.
        // Statements with a positional parameter must be a batch (one round trip all the same).
        // JIT off: row-level security subplans push short request queries past jit_above_cost, and compiling
        // then costs 100+ ms for a query that runs in about 1 ms (docs/benchmarks.md).
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SET LOCAL ROLE {user.DatabaseRole}"),
                new NpgsqlBatchCommand("SET LOCAL jit = off"),
                new NpgsqlBatchCommand("SELECT set_config('app.current_user_id', $1, true)")
                {
                    Parameters = { new NpgsqlParameter { Value = user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
