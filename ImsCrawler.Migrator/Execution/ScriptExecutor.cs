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

    private async Task<ScriptFailure?> ExecuteInTransactionAsync(MigrationScript script, Stopwatch stopwatch, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            if (SqlStatementSplitter.Split(script.Text).Count > 0)
                await ExecuteAsync(script.Text, transaction, ct);
            await journal.RecordAsync(script, stopwatch.Elapsed, transaction, ct);
            await transaction.CommitAsync(ct);
            return null;
        }
        catch (PostgresException exception)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            var statementText = exception.BatchCommand?.CommandText ?? script.Text;
            var statementOffset = ErrorLocator.FindStatement(script.Text, statementText);
            var line = ErrorLocator.LineOf(script.Text, statementOffset, statementText.Trim(), exception);
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
