using ImsCrawler.Migrator.Scripts;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed class DryRunAndStatusTests : MigratorTestBase
{
    [Fact]
    public async Task Dry_run_does_not_create_the_missing_database_and_lists_what_it_would_apply()
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");
        WriteScript("02_index.sql", "-- migrator:no-transaction\nCREATE INDEX CONCURRENTLY ix ON t (id);");

        var run = await MigrateAsync("--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.False(await Server.DatabaseExistsAsync(DatabaseName));
        Assert.Contains("would apply 01_table.sql (in a transaction)", run.Stdout);
        Assert.Contains("would apply 02_index.sql (without a transaction)", run.Stdout);
    }

    [Fact]
    public async Task Dry_run_on_an_existing_empty_database_creates_neither_journal_nor_objects()
    {
        await Server.ExecuteAsync($"CREATE DATABASE {DatabaseName}");
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");

        var run = await MigrateAsync("--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("would apply 01_table.sql", run.Stdout);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'migrator'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
    }

    [Fact]
    public async Task Dry_run_lists_only_pending_scripts_and_writes_no_journal_rows()
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");
        await MigrateAsync();
        WriteScript("02_row.sql", "INSERT INTO t VALUES (1);");

        var run = await MigrateAsync("--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("01_table.sql", run.Stdout);
        Assert.Contains("would apply 02_row.sql", run.Stdout);
        Assert.Equal(["01_table.sql"], await JournaledNamesAsync());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Status_lists_applied_scripts_with_hashes_and_the_pending_ones()
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");
        WriteScript("02_row.sql", "INSERT INTO t VALUES (1);");
        await MigrateAsync();
        WriteScript("03_more.sql", "INSERT INTO t VALUES (2);");

        var run = await MigrateAsync("--status");

        Assert.Equal(0, run.ExitCode);
        var journal = await ReadJournalAsync();
        Assert.Equal(2, journal.Count);
        foreach (var (name, sha256, _, durationMs) in journal)
            Assert.Matches($@"{name}  sha256 {sha256}  applied \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ  {durationMs} ms", run.Stdout);
        Assert.Contains(ScriptCatalog.ComputeSha256("CREATE TABLE t (id int);"), run.Stdout);
        Assert.Contains("Pending scripts: 1\n  03_more.sql  (in a transaction)", run.Stdout.ReplaceLineEndings("\n"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Status_of_a_missing_database_does_not_create_it()
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");

        var run = await MigrateAsync("--status");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("does not exist", run.Stdout);
        Assert.Contains("01_table.sql", run.Stdout);
        Assert.False(await Server.DatabaseExistsAsync(DatabaseName));
    }
}
