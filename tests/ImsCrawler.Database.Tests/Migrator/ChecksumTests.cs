using ImsCrawler.Migrator.Scripts;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed class ChecksumTests : MigratorTestBase
{
    [Fact]
    public async Task Refuses_to_run_when_an_applied_script_changed_naming_the_file_and_both_hashes()
    {
        const string original = "CREATE TABLE t (id int);";
        const string edited = "CREATE TABLE t (id bigint);";
        WriteScript("01_table.sql", original);
        await MigrateAsync();
        var journalBefore = await ReadJournalAsync();
        WriteScript("01_table.sql", edited);
        WriteScript("02_new.sql", "CREATE TABLE new_table (id int);");

        var run = await MigrateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("01_table.sql", run.Stderr);
        Assert.Contains(ScriptCatalog.ComputeSha256(original), run.Stderr);
        Assert.Contains(ScriptCatalog.ComputeSha256(edited), run.Stderr);
        Assert.False(await TableExistsAsync("new_table"));
        Assert.Equal(journalBefore, await ReadJournalAsync());
    }

    [Fact]
    public async Task A_declared_rewording_is_accepted_once_and_the_new_checksum_journaled()
    {
        const string original = "-- see ../elsewhere/spec.md\nCREATE TABLE t (id int);";
        const string reworded = "-- see docs/schema.md\nCREATE TABLE t (id int);";
        WriteScript("01_table.sql", original);
        await MigrateAsync();
        WriteScript("01_table.sql", reworded);
        File.WriteAllText(Path.Combine(ScriptsDirectory, ScriptCatalog.RewordingsFile),
            $"# comment line\n01_table.sql {ScriptCatalog.ComputeSha256(original)}  # the comment pointed outside\n");
        WriteScript("02_new.sql", "CREATE TABLE new_table (id int);");

        var run = await MigrateAsync();
        var again = await MigrateAsync();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("01_table.sql was reworded", run.Output);
        Assert.True(await TableExistsAsync("new_table"));
        Assert.Equal(ScriptCatalog.ComputeSha256(reworded), (await ReadJournalAsync()).Single(row => row.Name == "01_table.sql").Sha256);
        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain("reworded", again.Output);
    }

    [Fact]
    public async Task A_rewording_declared_for_another_checksum_is_still_refused()
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");
        await MigrateAsync();
        WriteScript("01_table.sql", "CREATE TABLE t (id bigint);");
        File.WriteAllText(Path.Combine(ScriptsDirectory, ScriptCatalog.RewordingsFile), $"01_table.sql {new string('0', 64)}\n");

        var run = await MigrateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("changed after it was applied", run.Stderr);
    }

    [Fact]
    public void The_repositorys_declared_rewordings_name_existing_scripts()
    {
        var rewordings = ScriptCatalog.LoadRewordings(ImsCrawler.TestSupport.RepositoryScripts.Directory);
        var scripts = ScriptCatalog.Load(ImsCrawler.TestSupport.RepositoryScripts.Directory).Select(script => script.Name).ToHashSet();

        Assert.NotEmpty(rewordings);
        Assert.All(rewordings, group => Assert.Contains(group.Key, scripts));
    }
}
