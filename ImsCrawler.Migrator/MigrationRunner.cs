using System.Diagnostics;
using ImsCrawler.Migrator.Database;
using ImsCrawler.Migrator.Execution;
using ImsCrawler.Migrator.Logins;
using ImsCrawler.Migrator.Scripts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.Migrator;

/// <param name="ConnectionString">Connection to the target database (created when missing).</param>
/// <param name="ScriptsDirectory">Directory whose <c>*.sql</c> files are applied in ordinal file-name order.</param>
/// <param name="SkipTablespace">Skip scripts marked <c>-- migrator:tablespace</c>.</param>
public sealed record MigrationOptions(string ConnectionString, string ScriptsDirectory, bool SkipTablespace = false)
{
    public ConnectRetryOptions ConnectRetry { get; init; } = ConnectRetryOptions.Default;

    /// <summary>Login roles to enable, re-password or disable once the scripts are applied.</summary>
    public IReadOnlyList<LoginSetting> Logins { get; init; } = [];
}

public sealed record MigrationResult(bool Succeeded, IReadOnlyList<string> AppliedScripts, string? Error)
{
    public static MigrationResult Failure(string error, IReadOnlyList<string>? applied = null) => new(false, applied ?? [], error);
}

/// <summary>
/// Applies pending scripts (<see cref="ApplyAsync"/>), or reports what it would do (<see cref="DryRunAsync"/>)
/// or what was done (<see cref="StatusAsync"/>). Progress goes to the logger, reports to <c>output</c>.
/// </summary>
public sealed class MigrationRunner(MigrationOptions options, ILogger logger, TextWriter output)
{
    private readonly ConnectionFactory connections = new(options.ConnectionString, options.ConnectRetry, logger);

    public async Task<MigrationResult> ApplyAsync(CancellationToken ct = default)
    {
        var scripts = ScriptCatalog.Load(options.ScriptsDirectory);
        await DatabaseCreator.EnsureExistsAsync(connections, logger, ct);
        // The lock lives on a connection of its own: a failing script can break its connection
        // (Npgsql closes it on some errors, e.g. CREATE TABLESPACE's), which must not release the lock.
        await using var lockConnection = await connections.OpenTargetAsync(ct);
        await AdvisoryLock.AcquireAsync(lockConnection, logger, ct);
        var journal = new Journal(lockConnection);
        await journal.EnsureCreatedAsync(ct);
        // Read only now that we hold the lock: a concurrent migrator may just have applied everything.
        var plan = MigrationPlan.Create(scripts, await journal.ReadAsync(ct), options.SkipTablespace, Rewordings());
        if (RefuseChangedScripts(plan) is { } refusal)
            return refusal;
        ReportSkippedAndMissing(plan);
        foreach (var script in plan.Reworded)
        {
            await journal.UpdateChecksumAsync(script, ct);
            logger.LogInformation("{Script} was reworded after it was applied ({File}); its journaled sha256 is now {Sha256}",
                script.Name, ScriptCatalog.RewordingsFile, script.Sha256);
        }
        MigrationResult result;
        if (plan.Pending.Count == 0)
        {
            logger.LogInformation("Nothing to apply: database {Database} is up to date", connections.DatabaseName);
            result = new MigrationResult(true, [], null);
        }
        else
            result = await ApplyPendingAsync(plan.Pending, ct);
        if (result.Succeeded)
            await new LoginManager(lockConnection, logger).ApplyAsync(options.Logins, ct);
        return result;
    }

    public async Task<MigrationResult> DryRunAsync(CancellationToken ct = default)
    {
        var scripts = ScriptCatalog.Load(options.ScriptsDirectory);
        var journal = await ReadJournalIfDatabaseExistsAsync(ct);
        if (journal is null)
            output.WriteLine($"Dry run: database \"{connections.DatabaseName}\" does not exist; it would be created.");
        var plan = MigrationPlan.Create(scripts, journal ?? [], options.SkipTablespace, Rewordings());
        if (RefuseChangedScripts(plan) is { } refusal)
            return refusal;
        ReportSkippedAndMissing(plan);
        foreach (var script in plan.Pending)
            output.WriteLine($"Dry run: would apply {script.Name} ({script.TransactionMode}{(script.Markers.Optional ? ", optional" : "")})");
        if (plan.Pending.Count == 0)
            output.WriteLine($"Dry run: nothing to apply: database \"{connections.DatabaseName}\" is up to date.");
        return new MigrationResult(true, [], null);
    }

    public async Task<MigrationResult> StatusAsync(CancellationToken ct = default)
    {
        var scripts = ScriptCatalog.Load(options.ScriptsDirectory);
        var journal = await ReadJournalIfDatabaseExistsAsync(ct);
        if (journal is null)
            output.WriteLine($"Database \"{connections.DatabaseName}\" does not exist.");
        var plan = MigrationPlan.Create(scripts, journal ?? [], options.SkipTablespace, Rewordings());
        StatusReport.Write(output, journal ?? [], plan);
        return new MigrationResult(true, [], null);
    }

    private ILookup<string, string> Rewordings() => ScriptCatalog.LoadRewordings(options.ScriptsDirectory);

    private async Task<IReadOnlyList<JournalEntry>?> ReadJournalIfDatabaseExistsAsync(CancellationToken ct)
    {
        if (!await DatabaseCreator.ExistsAsync(connections, ct))
            return null;
        await using var connection = await connections.OpenTargetAsync(ct);
        return await new Journal(connection).ReadAsync(ct);
    }

    private MigrationResult? RefuseChangedScripts(MigrationPlan plan)
    {
        if (plan.Mismatches.Count == 0)
            return null;
        foreach (var mismatch in plan.Mismatches)
            logger.LogError("{Mismatch}", mismatch);
        var error = $"Refusing to migrate: {string.Join("; ", plan.Mismatches)}. Applied scripts must not change; add a new script instead.";
        logger.LogError("{Error}", error);
        return MigrationResult.Failure(error);
    }

    private void ReportSkippedAndMissing(MigrationPlan plan)
    {
        foreach (var missing in plan.MissingFiles)
            logger.LogWarning("{Script} is in the journal but its file is missing from {Directory}", missing.ScriptName, options.ScriptsDirectory);
        foreach (var skipped in plan.SkippedTablespaceScripts)
            logger.LogInformation("Skipping {Script} (--skip-tablespace)", skipped.Name);
    }

    private async Task<MigrationResult> ApplyPendingAsync(IReadOnlyList<MigrationScript> pending, CancellationToken ct)
    {
        var applied = new List<string>();
        NpgsqlConnection? connection = null;
        try
        {
            foreach (var script in pending)
            {
                connection = await ReopenIfBrokenAsync(connection, ct);
                var stopwatch = Stopwatch.StartNew();
                var failure = await new ScriptExecutor(connection, new Journal(connection)).ExecuteAsync(script, ct);
                if (failure is null)
                {
                    logger.LogInformation("Applying {Script} ... done ({Duration} ms)", script.Name, stopwatch.ElapsedMilliseconds);
                    applied.Add(script.Name);
                }
                else if (script.Markers.Optional)
                {
                    logger.LogWarning("Applying {Script} ... skipped: optional script failed: {Failure}. It was not journaled and will be retried next run. {Hint}",
                        script.Name, failure, OptionalFailureHint(script));
                }
                else
                {
                    logger.LogError("Applying {Script} ... failed: {Failure}. {Consequence} Later scripts were not applied.",
                        script.Name, failure, script.RunsInTransaction
                            ? "Its transaction was rolled back."
                            : "It runs without a transaction: the statements before the failing one remain applied.");
                    return MigrationResult.Failure(failure.ToString(), applied);
                }
            }
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync();
        }
        logger.LogInformation("Applied {Count} script(s) to database {Database}", applied.Count, connections.DatabaseName);
        return new MigrationResult(true, applied, null);
    }

    private async Task<NpgsqlConnection> ReopenIfBrokenAsync(NpgsqlConnection? connection, CancellationToken ct)
    {
        if (connection is { State: System.Data.ConnectionState.Open })
            return connection;
        if (connection is not null)
            await connection.DisposeAsync();
        var opened = await connections.OpenTargetAsync(ct);
        opened.Notice += LogNotice;
        return opened;
    }

    private static string OptionalFailureHint(MigrationScript script) =>
        script.Markers.Tablespace
            ? "Hint: pass --skip-tablespace, or create the tablespace directory on the server and run as a superuser."
            : "Hint: fix the cause and run the Migrator again.";

    private void LogNotice(object sender, NpgsqlNoticeEventArgs args) =>
        logger.LogInformation("PostgreSQL {Severity}: {Message}", args.Notice.Severity, args.Notice.MessageText);
}
