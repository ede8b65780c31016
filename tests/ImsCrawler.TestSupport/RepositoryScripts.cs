namespace ImsCrawler.TestSupport;

/// <summary>
/// The repository's <c>sql/</c> scripts: the copy beside the test binaries (the Migrator project ships
/// them as <c>sql/*.sql</c> and the copy flows through the project reference), else the <c>sql/</c>
/// folder of the source tree, else an empty directory (while <c>sql/</c> has no scripts yet).
/// </summary>
public static class RepositoryScripts
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Directory => Located.Value;

    private static string Locate()
    {
        var besideBinaries = Path.Combine(AppContext.BaseDirectory, "sql");
        if (System.IO.Directory.Exists(besideBinaries))
            return besideBinaries;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ImsCrawler.sln")))
                return Path.Combine(directory.FullName, "sql");
        }
        return System.IO.Directory.CreateTempSubdirectory("ims-empty-sql-").FullName;
    }
}
