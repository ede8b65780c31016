using ImsCrawler.Migrator.Database;
using ImsCrawler.Migrator.Scripts;

namespace ImsCrawler.Migrator;

public sealed record ChecksumMismatch(string ScriptName, string JournaledSha256, string FileSha256)
{
    public override string ToString() =>
        $"{ScriptName} changed after it was applied: journaled sha256 {JournaledSha256}, on disk {FileSha256}";
}

/// <summary>What a run would do, given the scripts on disk and the journal.</summary>
/// <param name="Reworded">Applied scripts whose file differs from the journal only by a rewording that
/// <see cref="ScriptCatalog.RewordingsFile"/> declares (comments); the run updates their journaled checksum.</param>
public sealed record MigrationPlan(
    IReadOnlyList<MigrationScript> Pending,
    IReadOnlyList<MigrationScript> SkippedTablespaceScripts,
    IReadOnlyList<ChecksumMismatch> Mismatches,
    IReadOnlyList<JournalEntry> MissingFiles,
    IReadOnlyList<MigrationScript> Reworded)
{
    public static MigrationPlan Create(IReadOnlyList<MigrationScript> scripts, IReadOnlyList<JournalEntry> journal, bool skipTablespace,
        ILookup<string, string>? rewordings = null)
    {
        rewordings ??= Array.Empty<(string, string)>().ToLookup(r => r.Item1, r => r.Item2);
        var applied = journal.ToDictionary(entry => entry.ScriptName, StringComparer.Ordinal);
        var onDisk = scripts.ToDictionary(script => script.Name, StringComparer.Ordinal);
        var notApplied = scripts.Where(script => !applied.ContainsKey(script.Name)).ToList();
        var changed = journal
            .Where(entry => onDisk.TryGetValue(entry.ScriptName, out var script) && script.Sha256 != entry.Sha256.Trim())
            .ToList();
        bool IsReworded(JournalEntry entry) => rewordings[entry.ScriptName].Contains(entry.Sha256.Trim(), StringComparer.OrdinalIgnoreCase);
        return new MigrationPlan(
            Pending: notApplied.Where(script => !(skipTablespace && script.Markers.Tablespace)).ToList(),
            SkippedTablespaceScripts: notApplied.Where(script => skipTablespace && script.Markers.Tablespace).ToList(),
            Mismatches: changed.Where(entry => !IsReworded(entry))
                .Select(entry => new ChecksumMismatch(entry.ScriptName, entry.Sha256.Trim(), onDisk[entry.ScriptName].Sha256))
                .ToList(),
            MissingFiles: journal.Where(entry => !onDisk.ContainsKey(entry.ScriptName)).ToList(),
            Reworded: changed.Where(IsReworded).Select(entry => onDisk[entry.ScriptName]).ToList());
    }
}
