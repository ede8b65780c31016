using System.Diagnostics;
using ImsCrawler.Migrator.Database;
using ImsCrawler.Migrator.Scripts;
using Npgsql;

namespace ImsCrawler.Migrator.Execution;

/// <summary>Runs one script on the migration connection and journals it when it succeeded.</summary>
public sealed class ScriptExecutor(NpgsqlConnection connection, Journal journal)
{
    /// <returns>null on success, otherwise where and why the script failed.</returns>
    public async Task<ScriptFailure?> ExecuteAsync(MigrationScript script, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        return script.RunsInTransaction
            ? await ExecuteInTransactionAsync(script, stopwatch, ct)
            : await ExecuteStatementByStatementAsync(script, stopwatch, ct);
    }

    /// <summary>
    /// Sends the script's statements as one <see cref="NpgsqlBatch"/> (one round trip). Each batch command
    /// is a statement of ours, so the failing one (<see cref="NpgsqlException.BatchCommand"/>, enabled by
    /// IncludeFailedBatchedCommand) tells exactly where in the file the error is.
    /// </summary>
    private async Task<ScriptFailure?> ExecuteInTransactionAsync(MigrationScript script, Stopwatch stopwatch, CancellationToken ct)
    {
        var statements = SqlStatementSplitter.Split(script.Text);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = 0 };
        foreach (var statement in statements)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
        try
        {
            if (statements.Count > 0)
                await batch.ExecuteNonQueryAsync(ct);
            await journal.RecordAsync(script, stopwatch.Elapsed, transaction, ct);
            await transaction.CommitAsync(ct);
            return null;
        }
        catch (PostgresException exception)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            var index = exception.BatchCommand is { } failed ? batch.BatchCommands.IndexOf(failed) : -1;
            var statement = index >= 0 ? statements[index] : new SqlStatement(script.Text, 0);
            var line = ErrorLocator.LineOf(script.Text, statement.Offset, statement.Text, exception);
            return new ScriptFailure(script.Name, line, ScriptFailure.Describe(exception));
        }
    }

    private async Task<ScriptFailure?> ExecuteStatementByStatementAsync(MigrationScript script, Stopwatch stopwatch, CancellationToken ct)
    {
        foreach (var statement in SqlStatementSplitter.Split(script.Text))
        {
            try
            {
                await ExecuteAsync(statement.Text, transaction: null, ct);
            }
            catch (PostgresException exception)
            {
                var line = ErrorLocator.LineOf(script.Text, statement.Offset, statement.Text, exception);
                return new ScriptFailure(script.Name, line, ScriptFailure.Describe(exception));
            }
        }
        await journal.RecordAsync(script, stopwatch.Elapsed, transaction: null, ct);
        return null;
    }

    private async Task ExecuteAsync(string sql, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        // Index builds and data migrations may legitimately take longer than the 30 s default.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
