using System.Globalization;
using Npgsql;
using Polly.Registry;

namespace ImsCrawler.Api.Data;

/// <summary>
/// The Api's one way to the database: a unit of work (<see cref="UserSession"/>) in one transaction as one user:
/// <c>SET LOCAL ROLE</c> from the user's role and the transaction-local RLS user id, so row-level security does the
/// isolation and nothing outlives the transaction on the pooled connection. Transient faults retry the whole unit
/// (<see cref="DatabaseResilience"/>; past the retry budget the fault surfaces as a 503), so the work must be
/// idempotent (every write path here is). Read-only work goes to the read replica when one is configured and fit
/// (<see cref="ReadReplica"/>), else to the primary.
/// </summary>
public sealed class UserDatabase(NpgsqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines, ReadReplica? replica = null)
{
    /// <summary>Work that may write.</summary>
    public Task<T> RunAsync<T>(DatabaseUser user, Func<UserSession, Task<T>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(dataSource, user, readOnly: false, work, cancellationToken);

    public Task RunAsync(DatabaseUser user, Func<UserSession, Task> work, CancellationToken cancellationToken) =>
        RunAsync(user, async session =>
        {
            await work(session);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Work that writes nothing, in a read-only transaction (a write fails): the reads that may later be served by a
    /// read replica. Everything else is as in <see cref="RunAsync{T}"/>.
    /// </summary>
    public async Task<T> ReadAsync<T>(DatabaseUser user, Func<UserSession, Task<T>> work, CancellationToken cancellationToken)
    {
        if (replica?.For(user) is { } standby)
        {
            try
            {
                // No retry budget on the replica: a replica that fails now is skipped for the primary at once.
                return await OnceAsync(standby, user, readOnly: true, work, cancellationToken);
            }
            catch (NpgsqlException exception) when (DatabaseRetry.IsTransient(exception))
            {
                await replica.CheckAsync(cancellationToken);
            }
        }
        return await InTransactionAsync(dataSource, user, readOnly: true, work, cancellationToken);
    }

    private Task<T> InTransactionAsync<T>(NpgsqlDataSource source, DatabaseUser user, bool readOnly,
        Func<UserSession, Task<T>> work, CancellationToken cancellationToken) =>
        pipelines.GetPipeline(DatabaseResilience.PipelineName).ExecuteAsync(
            async token => await OnceAsync(source, user, readOnly, work, token), cancellationToken).AsTask();

    private async Task<T> OnceAsync<T>(NpgsqlDataSource source, DatabaseUser user, bool readOnly,
        Func<UserSession, Task<T>> work, CancellationToken token)
    {
        await using var connection = await source.OpenConnectionAsync(token);
        await using var transaction = await connection.BeginTransactionAsync(token);
        await BecomeAsync(connection, transaction, user, readOnly, token);
        var result = await work(new UserSession(connection, transaction, user, token));
        var wrote = !readOnly && replica is not null && await WroteAsync(connection, transaction, token);
        await transaction.CommitAsync(token);
        if (wrote)
            replica!.NoteWrite(user);
        return result;
    }

    // Only asked when a replica serves reads: an xid is assigned exactly when the transaction wrote.
    private static async Task<bool> WroteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken token)
    {
        await using var command = new NpgsqlCommand("SELECT pg_current_xact_id_if_assigned() IS NOT NULL", connection, transaction);
        return (bool)(await command.ExecuteScalarAsync(token))!;
    }

    private static async Task BecomeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseUser user,
        bool readOnly, CancellationToken cancellationToken)
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
                    Parameters = { new NpgsqlParameter { Value = user.UserId.ToString(CultureInfo.InvariantCulture) } },
                },
            },
        };
        if (readOnly)
            batch.BatchCommands.Insert(0, new NpgsqlBatchCommand("SET TRANSACTION READ ONLY"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
