using System.Text;
using System.Threading;

namespace ImsCrawler.Api.Tests.Import;

/// <summary>
/// The fixture folders under Import/CrawlerFiles, written by the crawler's own json.dump (indent 2, non-ASCII as is,
/// every value a string, "" where nothing was scraped). Each copy gets its own issue numbers, so tests that share a
/// database never meet each other's issues; the bytes are otherwise untouched.
/// </summary>
public static class CrawlerFiles
{
    public const string Session = "OpenFrame_batch_timeout_20241102_101500";
    public const string PartialRecrawl = "OpenFrame_batch_timeout_20241103_090000";
    public const string FlatOutput = "output";

    private static int counter = Random.Shared.Next(1_000, 9_000) * 1_000;

    private static string Source(string folder) => Path.Combine(AppContext.BaseDirectory, "Import", "CrawlerFiles", folder);

    /// <summary>A fresh number that replaces the fixtures' "348" prefix (348001 → 1234567001).</summary>
    public static string NewPrefix() => Interlocked.Increment(ref counter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Copies <paramref name="folder"/> into <paramref name="root"/> with the issue numbers' prefix replaced.</summary>
    public static string CopyTo(string root, string folder, string prefix)
    {
        var target = Path.Combine(root, folder);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Source(folder), "*.json"))
        {
            var name = Path.GetFileName(file).Replace("348", prefix, StringComparison.Ordinal);
            File.WriteAllBytes(Path.Combine(target, name), Rewrite(File.ReadAllBytes(file), prefix));
        }
        return target;
    }

    /// <summary>The files of <paramref name="folder"/> as one JSON array, each file's bytes as written.</summary>
    public static string AsJsonArray(string folder, string prefix) =>
        "[" + string.Join(",\n", Directory.GetFiles(Source(folder), "*.json").Order(StringComparer.Ordinal)
            .Select(file => Encoding.UTF8.GetString(Rewrite(File.ReadAllBytes(file), prefix)))) + "]";

    public static string IssueId(string prefix, string suffix) => prefix + suffix;

    private static byte[] Rewrite(byte[] bytes, string prefix) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\"348", "\"" + prefix, StringComparison.Ordinal)
            .Replace("issueId=348", "issueId=" + prefix, StringComparison.Ordinal)
            .Replace("attachments/348", "attachments/" + prefix, StringComparison.Ordinal));
}
