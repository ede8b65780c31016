using System.Text.RegularExpressions;

namespace ImsCrawler.Api.Ingest;

/// <summary>What a history row's free-text details say, where they follow a recognisable pattern.</summary>
public sealed record HistoryChange(string ChangeType, string? FieldName, string? OldValue, string? NewValue);

/// <summary>
/// Parses IMS history details: "Status changed from Open to Closed", "Status: Open -> Closed"
/// (also →, =>), "상태: 접수 → 완료", "Open -> Closed" (no field), "Assigned to Kim" / "담당자 변경: A → B".
/// Anything else gives null: the row keeps only its description.
/// </summary>
public static partial class HistoryDetails
{
    [GeneratedRegex(@"^\s*(?<field>[^:\r\n]{1,100}?)\s+(?:was\s+)?changed\s+from\s+(?<old>.*?)\s+to\s+(?<new>.*?)\s*\.?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ChangedFromTo();

    [GeneratedRegex(@"^\s*(?<field>[^:\r\n]{1,100}?)\s*[:：]\s*(?<old>.*?)\s*(?:->|→|=>|⇒)\s*(?<new>.*?)\s*$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex FieldArrow();

    [GeneratedRegex(@"^\s*(?<old>[^\r\n]*?)\s*(?:->|→|=>|⇒)\s*(?<new>[^\r\n]*?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex BareArrow();

    [GeneratedRegex(@"^\s*(?:re)?assigned\s+to\s+(?<new>.+?)\s*\.?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AssignedTo();

    public static HistoryChange? Parse(string? details)
    {
        if (string.IsNullOrWhiteSpace(details))
            return null;
        var match = ChangedFromTo().Match(details);
        if (!match.Success)
            match = FieldArrow().Match(details);
        if (match.Success)
        {
            var field = match.Groups["field"].Value.Trim();
            return new HistoryChange(ChangeTypeOf(field), field, Empty(match.Groups["old"].Value), Empty(match.Groups["new"].Value));
        }
        match = AssignedTo().Match(details);
        if (match.Success)
            return new HistoryChange("assignment", "assignee", null, match.Groups["new"].Value);
        match = BareArrow().Match(details);
        if (match.Success)
            return new HistoryChange("status_change", "status", Empty(match.Groups["old"].Value), Empty(match.Groups["new"].Value));
        return null;
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

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
