using ImsCrawler.Migrator.Database;

namespace ImsCrawler.Migrator;

/// <summary>The <c>--status</c> listing: applied scripts from the journal, then pending ones.</summary>
public static class StatusReport
{
    public static void Write(TextWriter output, IReadOnlyList<JournalEntry> journal, MigrationPlan plan)
    {
        output.WriteLine($"Applied scripts: {journal.Count}");
        foreach (var entry in journal)
            output.WriteLine($"  {entry.ScriptName}  sha256 {entry.Sha256.Trim()}  applied {entry.AppliedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z  {entry.DurationMs} ms{Remark(entry, plan)}");
        output.WriteLine($"Pending scripts: {plan.Pending.Count}");
        foreach (var script in plan.Pending)
            output.WriteLine($"  {script.Name}  ({script.TransactionMode})");
        foreach (var script in plan.SkippedTablespaceScripts)
            output.WriteLine($"  {script.Name}  (skipped with --skip-tablespace)");
    }

    private static string Remark(JournalEntry entry, MigrationPlan plan)
    {
        if (plan.MissingFiles.Contains(entry))
            return "  [file missing]";
        if (plan.Reworded.Any(script => script.Name == entry.ScriptName))
            return "  [reworded: the next run takes the new sha256]";
        var mismatch = plan.Mismatches.FirstOrDefault(m => m.ScriptName == entry.ScriptName);
        return mismatch is null ? "" : $"  [CHANGED on disk: sha256 {mismatch.FileSha256}]";
    }
}
