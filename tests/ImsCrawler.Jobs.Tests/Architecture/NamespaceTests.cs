using System.Text.RegularExpressions;

namespace ImsCrawler.Jobs.Tests.Architecture;

/// <summary>The Jobs service's folders are layers: Model at the bottom, then the jobs and the runner, then scheduling and requests.</summary>
public sealed partial class NamespaceTests
{
    [Fact]
    public void Namespaces_follow_folders_and_depend_on_each_other_without_cycles()
    {
        var project = Path.Combine(RepositoryRoot(), "ImsCrawler.Jobs");
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
                     .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var folder = Path.GetRelativePath(project, Path.GetDirectoryName(file)!);
            var expected = folder == "." ? "ImsCrawler.Jobs" : "ImsCrawler.Jobs." + folder.Replace(Path.DirectorySeparatorChar, '.');
            if (NamespaceLine().Match(text) is not { Success: true } declaration)
                continue; // top-level statements (Program.cs)
            var declared = declaration.Groups[1].Value;
            Assert.True(declared == expected, $"{Path.GetRelativePath(project, file)} declares namespace {declared}, its folder says {expected}");
            var set = uses.TryGetValue(declared, out var existing) ? existing : uses[declared] = [];
            foreach (Match match in UsingLine().Matches(text))
                if (match.Groups[1].Value != declared)
                    set.Add(match.Groups[1].Value);
        }

        foreach (var start in uses.Keys)
            Assert.False(Reaches(uses, start, start, []), $"{start} depends on itself through other Jobs namespaces: {Describe(uses)}");
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> uses, string from, string target, HashSet<string> seen)
    {
        foreach (var next in uses.GetValueOrDefault(from, []))
        {
            if (next == target)
                return true;
            if (seen.Add(next) && Reaches(uses, next, target, seen))
                return true;
        }
        return false;
    }

    private static string Describe(Dictionary<string, HashSet<string>> uses) =>
        string.Join("; ", uses.Select(pair => $"{pair.Key} -> {string.Join(", ", pair.Value)}"));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "ImsCrawler.sln")))
                return directory.FullName;
        throw new InvalidOperationException("The repository root (ImsCrawler.sln) was not found above the test binaries.");
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (ImsCrawler\.Jobs(?:\.\w+)*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
