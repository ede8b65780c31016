namespace ImsCrawler.Migrator.Execution;

/// <summary>A statement of a script and the character offset where it starts in that script.</summary>
public sealed record SqlStatement(string Text, int Offset);

/// <summary>
/// Splits a script at top-level semicolons, skipping those inside quotes, dollar quotes and comments.
/// Used for <c>-- migrator:no-transaction</c> scripts, whose statements must each be sent on their own:
/// PostgreSQL runs a multi-statement message as one implicit transaction. SQL-standard
/// <c>BEGIN ATOMIC ... END</c> bodies are not recognised; keep them in transactional scripts.
/// </summary>
public static class SqlStatementSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var start = 0;
        var position = 0;
        while (position < sql.Length)
        {
            if (sql[position] == ';')
            {
                AddStatement(sql, start, position + 1, statements);
                start = position + 1;
                position++;
            }
            else
            {
                position = SkipToken(sql, position);
            }
        }
        AddStatement(sql, start, sql.Length, statements);
        return statements;
    }

    private static void AddStatement(string sql, int start, int end, List<SqlStatement> statements)
    {
        var text = sql[start..end];
        if (!HasCode(text))
            return;
        var leadingWhitespace = text.Length - text.TrimStart().Length;
        statements.Add(new SqlStatement(text.Trim(), start + leadingWhitespace));
    }

    private static bool HasCode(string text)
    {
        var position = 0;
        while (position < text.Length)
        {
            var next = SkipToken(text, position);
            var isComment = text[position] == '-' || text[position] == '/';
            if (!char.IsWhiteSpace(text[position]) && !(isComment && next - position > 1) && text[position] != ';')
                return true;
            position = next;
        }
        return false;
    }

    /// <summary>Returns the index just after the token (comment, quoted text or single character) at <paramref name="position"/>.</summary>
    private static int SkipToken(string sql, int position)
    {
        var current = sql[position];
        var next = position + 1 < sql.Length ? sql[position + 1] : '\0';
        return current switch
        {
            '-' when next == '-' => SkipLineComment(sql, position),
            '/' when next == '*' => SkipBlockComment(sql, position),
            '\'' => SkipQuoted(sql, position, '\'', IsEscapeString(sql, position)),
            '"' => SkipQuoted(sql, position, '"', backslashEscapes: false),
            '$' => SkipDollarQuoted(sql, position),
            _ => position + 1,
        };
    }

    private static int SkipLineComment(string sql, int position)
    {
        var end = sql.IndexOf('\n', position);
        return end < 0 ? sql.Length : end + 1;
    }

    private static int SkipBlockComment(string sql, int position)
    {
        var depth = 0;
        var index = position;
        while (index < sql.Length - 1)
        {
            if (sql[index] == '/' && sql[index + 1] == '*') { depth++; index += 2; }
            else if (sql[index] == '*' && sql[index + 1] == '/') { depth--; index += 2; if (depth == 0) return index; }
            else index++;
        }
        return sql.Length;
    }

    private static bool IsEscapeString(string sql, int quote) =>
        quote > 0 && sql[quote - 1] is 'E' or 'e' && (quote == 1 || !IsIdentifierChar(sql[quote - 2]));

    private static int SkipQuoted(string sql, int position, char quote, bool backslashEscapes)
    {
        var index = position + 1;
        while (index < sql.Length)
        {
            if (backslashEscapes && sql[index] == '\\') { index += 2; continue; }
            if (sql[index] == quote)
            {
                if (index + 1 < sql.Length && sql[index + 1] == quote) { index += 2; continue; }
                return index + 1;
            }
            index++;
        }
        return sql.Length;
    }

    private static int SkipDollarQuoted(string sql, int position)
    {
        if (position > 0 && IsIdentifierChar(sql[position - 1]))
            return position + 1;
        var tagEnd = position + 1;
        while (tagEnd < sql.Length && IsIdentifierChar(sql[tagEnd]) && sql[tagEnd] != '$')
            tagEnd++;
        var isTag = tagEnd < sql.Length && sql[tagEnd] == '$' && (tagEnd == position + 1 || !char.IsDigit(sql[position + 1]));
        if (!isTag)
            return position + 1;
        var tag = sql[position..(tagEnd + 1)];
        var close = sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
        return close < 0 ? sql.Length : close + tag.Length;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}
