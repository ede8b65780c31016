namespace ImsCrawler.Api.Ingest;

/// <summary>What a history row's free-text details say, where they follow a recognisable pattern.</summary>
public sealed record HistoryChange(string ChangeType, string? FieldName, string? OldValue, string? NewValue);

/// <summary>
/// Parses IMS history details: "Status changed from Open to Closed", "Status: Open -> Closed"
/// (also →, =>, ⇒), "상태: 접수 → 완료", "Open -> Closed" (no field), "Assigned to Kim" / "담당자 변경: A → B".
/// Anything else gives null: the row keeps only its description.
/// <para>Hand-written scans rather than regular expressions: the patterns' optional whitespace around
/// lazy groups made a backtracking engine take cubic time (128 s for 4,000 characters, docs/benchmarks.md).
/// Every step here is an ordinal search that moves forward, so the time is linear in the text, and texts
/// longer than <see cref="MaxLength"/> (no real change line is) are not parsed at all.</para>
/// </summary>
public static class HistoryDetails
{
    /// <summary>Longest details text that is parsed; longer texts keep only their description.</summary>
    public const int MaxLength = 2000;

    private const int MaxFieldLength = 100;
    private static readonly string[] Arrows = ["->", "→", "=>", "⇒"];

    public static HistoryChange? Parse(string? details)
    {
        if (string.IsNullOrWhiteSpace(details))
            return null;
        var text = details.AsSpan().Trim();
        if (text.Length > MaxLength)
            return null;
        return ChangedFromTo(text) ?? FieldArrow(text) ?? AssignedTo(text) ?? BareArrow(text);
    }

    /// <summary>"&lt;field&gt; [was] changed from &lt;old&gt; to &lt;new&gt;[.]", case-insensitive.</summary>
    private static HistoryChange? ChangedFromTo(ReadOnlySpan<char> text)
    {
        // The field is the text before the first " changed from " that ends a plausible field (no ':' or line break).
        var limit = text.IndexOfAny(':', '\r', '\n');
        var head = limit < 0 ? text : text[..limit];
        for (var start = 1; start < head.Length;)
        {
            var at = head[start..].IndexOf("changed", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
                return null;
            at += start;
            start = at + 1;
            if (!char.IsWhiteSpace(text[at - 1]) || AfterWord(text, at + "changed".Length, "from") is not { } afterFrom)
                continue;
            var field = WithoutTrailingWas(text[..at].TrimEnd());
            if (field.Length is 0 or > MaxFieldLength)
                continue;
            var rest = text[afterFrom..];
            var to = FindWord(rest, "to");
            if (to < 0)
                return null;
            var fieldName = field.ToString();
            return new HistoryChange(ChangeTypeOf(fieldName), fieldName, Value(rest[..to].Trim()),
                Value(WithoutFinalDot(rest[(to + 2)..].Trim())));
        }
        return null;
    }

    /// <summary>"&lt;field&gt;: &lt;old&gt; -&gt; &lt;new&gt;" (also ：, →, =&gt;, ⇒).</summary>
    private static HistoryChange? FieldArrow(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || text[0] == ':')
            return null;
        var separator = text[1..].IndexOfAny(':', '：');
        if (separator < 0)
            return null;
        separator++;
        var field = text[..separator].TrimEnd();
        if (field.Length > MaxFieldLength || field.IndexOfAny('\r', '\n') >= 0)
            return null;
        var rest = text[(separator + 1)..];
        if (FindArrow(rest) is not var (arrow, length))
            return null;
        var fieldName = field.ToString();
        return new HistoryChange(ChangeTypeOf(fieldName), fieldName, Value(rest[..arrow].Trim()), Value(rest[(arrow + length)..].Trim()));
    }

    /// <summary>"[Re]assigned to &lt;name&gt;[.]", case-insensitive, on one line.</summary>
    private static HistoryChange? AssignedTo(ReadOnlySpan<char> text)
    {
        var word = text.StartsWith("reassigned", StringComparison.OrdinalIgnoreCase) ? "reassigned".Length
            : text.StartsWith("assigned", StringComparison.OrdinalIgnoreCase) ? "assigned".Length
            : -1;
        if (word < 0 || AfterWord(text, word, "to") is not { } afterTo)
            return null;
        var name = text[afterTo..];
        var withoutDot = WithoutFinalDot(name);
        if (withoutDot.Length > 0)
            name = withoutDot;
        if (name.Length == 0 || name.IndexOf('\n') >= 0)
            return null;
        return new HistoryChange("assignment", "assignee", null, name.ToString());
    }

    /// <summary>
    /// "&lt;old&gt; -&gt; &lt;new&gt;" without a field: a status change. Neither side spans lines (whitespace around the
    /// arrow may), so the first arrow whose sides are both single lines is taken; once a line break lies inside the
    /// left side, every later arrow has it too.
    /// </summary>
    private static HistoryChange? BareArrow(ReadOnlySpan<char> text)
    {
        var firstBreak = text.IndexOfAny('\r', '\n');
        var lastBreak = text.LastIndexOfAny('\r', '\n');
        for (var at = 0; at < text.Length; at++)
        {
            if (ArrowLengthAt(text, at) is not (> 0 and var length))
                continue;
            var oldValue = text[..at].TrimEnd();
            if (firstBreak >= 0 && firstBreak < oldValue.Length)
                return null;
            var newStart = SkipWhitespace(text, at + length);
            if (lastBreak < newStart)
                return new HistoryChange("status_change", "status", Value(oldValue), Value(text[newStart..]));
            at += length - 1;
        }
        return null;
    }

    /// <summary>
    /// Where the text after <paramref name="wordEnd"/> continues past whitespace, <paramref name="word"/> and more
    /// whitespace (the index after it), or null.
    /// </summary>
    private static int? AfterWord(ReadOnlySpan<char> text, int wordEnd, string word)
    {
        var i = SkipWhitespace(text, wordEnd);
        if (i == wordEnd || !text[i..].StartsWith(word, StringComparison.OrdinalIgnoreCase))
            return null;
        var end = i + word.Length;
        var next = SkipWhitespace(text, end);
        return next == end ? null : next;
    }

    /// <summary>The first <paramref name="word"/> with whitespace on both sides (case-insensitive), or -1.</summary>
    private static int FindWord(ReadOnlySpan<char> text, string word)
    {
        for (var start = 1; start < text.Length;)
        {
            var at = text[start..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
                return -1;
            at += start;
            var end = at + word.Length;
            if (char.IsWhiteSpace(text[at - 1]) && end < text.Length && char.IsWhiteSpace(text[end]))
                return at;
            start = at + 1;
        }
        return -1;
    }

    private static (int Index, int Length)? FindArrow(ReadOnlySpan<char> text)
    {
        (int, int)? first = null;
        foreach (var arrow in Arrows)
        {
            var at = text.IndexOf(arrow, StringComparison.Ordinal);
            if (at >= 0 && (first is null || at < first.Value.Item1))
                first = (at, arrow.Length);
        }
        return first;
    }

    private static int ArrowLengthAt(ReadOnlySpan<char> text, int at)
    {
        foreach (var arrow in Arrows)
            if (text[at..].StartsWith(arrow, StringComparison.Ordinal))
                return arrow.Length;
        return 0;
    }

    private static int SkipWhitespace(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
            i++;
        return i;
    }

    private static ReadOnlySpan<char> WithoutTrailingWas(ReadOnlySpan<char> field) =>
        field.Length > 4 && field.EndsWith("was", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(field[^4])
            ? field[..^3].TrimEnd()
            : field;

    private static ReadOnlySpan<char> WithoutFinalDot(ReadOnlySpan<char> value) =>
        value.EndsWith('.') ? value[..^1].TrimEnd() : value;

    private static string? Value(ReadOnlySpan<char> value) => value.Length == 0 ? null : value.ToString();

    private static string ChangeTypeOf(string field)
    {
        var f = field.ToLowerInvariant();
        if (f.Contains("status", StringComparison.Ordinal) || f.Contains("상태", StringComparison.Ordinal) || f.Contains("状態", StringComparison.Ordinal) || f.Contains("ステータス", StringComparison.Ordinal))
            return "status_change";
        if (f.Contains("assign", StringComparison.Ordinal) || f.Contains("handler", StringComparison.Ordinal) || f.Contains("담당", StringComparison.Ordinal) || f.Contains("担当", StringComparison.Ordinal))
            return "assignment";
        if (f.Contains("priority", StringComparison.Ordinal) || f.Contains("우선", StringComparison.Ordinal) || f.Contains("優先", StringComparison.Ordinal))
            return "priority_change";
        return "field_change";
    }
}
