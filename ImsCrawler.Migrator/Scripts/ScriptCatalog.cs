using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ImsCrawler.Migrator.Scripts;

/// <summary>Loads the <c>*.sql</c> files of a directory in ordinal file-name order.</summary>
public static partial class ScriptCatalog
{
    public static IReadOnlyList<MigrationScript> Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Scripts directory '{directory}' does not exist.");

        return Directory.EnumerateFiles(directory, "*.sql")
            .Order(StringComparer.Ordinal)
            .Select(LoadScript)
            .ToList();
    }

    /// <summary>
    /// Declared rewordings of applied scripts: lines <c>&lt;script&gt; &lt;sha256 it was applied with&gt;</c> (text
    /// after <c>#</c> is a comment). Only for edits that change no statement, such as a comment that pointed
    /// outside the repository; anything else belongs in a new script.
    /// </summary>
    public const string RewordingsFile = "reworded-scripts.txt";

    public static ILookup<string, string> LoadRewordings(string directory)
    {
        var path = System.IO.Path.Combine(directory, RewordingsFile);
        if (!File.Exists(path))
            return Array.Empty<(string Script, string Sha256)>().ToLookup(r => r.Script, r => r.Sha256);
        return File.ReadAllLines(path)
            .Select(line => line.Split('#', 2)[0].Trim())
            .Where(line => line.Length > 0)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2)
            .ToLookup(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
    }

    public static MigrationScript LoadScript(string path)
    {
        var text = NormalizeLineEndings(File.ReadAllText(path, Encoding.UTF8));
        return new MigrationScript(System.IO.Path.GetFileName(path), path, text, ComputeSha256(text), ReadMarkers(text));
    }

    public static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n");

    public static string ComputeSha256(string normalizedText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedText)));

    public static ScriptMarkers ReadMarkers(string text)
    {
        var markers = LeadingCommentLines(text)
            .Select(line => MarkerPattern().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["name"].Value.ToLowerInvariant())
            .ToHashSet();
        return new ScriptMarkers(
            NoTransaction: markers.Contains(ScriptMarkers.NoTransactionMarker),
            Optional: markers.Contains(ScriptMarkers.OptionalMarker),
            Tablespace: markers.Contains(ScriptMarkers.TablespaceMarker));
    }

    private static IEnumerable<string> LeadingCommentLines(string text) =>
        text.Split('\n')
            .Select(line => line.Trim())
            .TakeWhile(line => line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal))
            .Where(line => line.Length > 0);

    [GeneratedRegex(@"^--\s*migrator:\s*(?<name>[A-Za-z-]+)\s*$")]
    private static partial Regex MarkerPattern();
}
