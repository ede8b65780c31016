namespace ImsCrawler.Migrator.Scripts;

/// <summary>
/// One SQL file of the scripts directory, read as UTF-8 with CRLF normalised to LF.
/// <see cref="Sha256"/> is the lower-case hex SHA-256 of that normalised text (UTF-8 bytes), so a
/// checkout with Windows line endings hashes the same as one with Unix line endings.
/// </summary>
public sealed record MigrationScript(string Name, string Path, string Text, string Sha256, ScriptMarkers Markers)
{
    public bool RunsInTransaction => !Markers.NoTransaction;

    public string TransactionMode => RunsInTransaction ? "in a transaction" : "without a transaction";
}

/// <summary>
/// Markers read from the comment lines at the top of a script (before its first SQL line):
/// <list type="bullet">
/// <item><c>-- migrator:no-transaction</c>: run statement by statement outside a transaction
/// (CREATE INDEX CONCURRENTLY, CREATE TABLESPACE, ...); journaled only after every statement succeeded.
/// A failure leaves the statements before it applied.</item>
/// <item><c>-- migrator:optional</c>: a failure is reported as a warning, the script is not journaled
/// (so it is retried next run) and the run continues.</item>
/// <item><c>-- migrator:tablespace</c>: the script creates a tablespace; <c>--skip-tablespace</c> skips
/// exactly the scripts carrying this marker (the file name plays no part).</item>
/// </list>
/// </summary>
public sealed record ScriptMarkers(bool NoTransaction, bool Optional, bool Tablespace)
{
    public const string NoTransactionMarker = "no-transaction";
    public const string OptionalMarker = "optional";
    public const string TablespaceMarker = "tablespace";
}
