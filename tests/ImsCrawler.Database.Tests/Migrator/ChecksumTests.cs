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
}
