using Npgsql;

namespace ImsCrawler.Migrator.Execution;

/// <summary>Where and why a script failed, formatted for a human.</summary>
public sealed record ScriptFailure(string ScriptName, int? Line, string Message)
{
    public override string ToString() =>
        Line is { } line ? $"{ScriptName}, line {line}: {Message}" : $"{ScriptName}: {Message}";

    public static string Describe(PostgresException exception)
    {
        var message = $"{exception.SqlState}: {exception.MessageText.TrimEnd('.')}";
        if (!string.IsNullOrEmpty(exception.Detail))
            message += $". DETAIL: {exception.Detail.TrimEnd('.')}";
        if (!string.IsNullOrEmpty(exception.Hint))
            message += $". HINT: {exception.Hint.TrimEnd('.')}";
        if (!string.IsNullOrEmpty(exception.Where))
            message += $". CONTEXT: {exception.Where.ReplaceLineEndings(" / ")}";
        return message;
    }
}

/// <summary>Maps a PostgreSQL error back to the line of the script it came from.</summary>
public static class ErrorLocator
{
    /// <param name="script">The (LF-normalised) script text.</param>
    /// <param name="statementOffset">Where the failing statement starts in the script, when known.</param>
    public static int LineOf(string script, int statementOffset, string statementText, PostgresException exception)
    {
        var offsetInStatement = OffsetInStatement(statementText, exception);
        return LineAt(script, Math.Min(statementOffset + offsetInStatement, script.Length));
    }

    public static int LineAt(string text, int offset) =>
        1 + text.AsSpan(0, Math.Clamp(offset, 0, text.Length)).Count('\n');

    private static int OffsetInStatement(string statementText, PostgresException exception)
    {
        if (exception.Position > 0)
            return exception.Position - 1;
        if (exception.InternalPosition > 0 && exception.InternalQuery is { Length: > 0 } internalQuery)
        {
            var queryStart = statementText.IndexOf(internalQuery, StringComparison.Ordinal);
            if (queryStart >= 0)
                return queryStart + exception.InternalPosition - 1;
        }
        return FirstCodeOffset(statementText);
    }

    /// <summary>Without a position, point at the statement's first line of code rather than its leading comments.</summary>
    private static int FirstCodeOffset(string statementText)
    {
        var statements = SqlStatementSplitter.Split(statementText);
        if (statements.Count == 0)
            return 0;
        var lines = statementText[statements[0].Offset..].Split('\n');
        var skipped = 0;
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith("--", StringComparison.Ordinal))
                return statements[0].Offset + skipped + (line.Length - line.TrimStart().Length);
            skipped += line.Length + 1;
        }
        return statements[0].Offset;
    }
}
