using ImsCrawler.Migrator.Scripts;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed class MarkerTests : MigratorTestBase
{
    private const string ConcurrentIndexes = "CREATE INDEX CONCURRENTLY ix_items_a ON items (a);\nCREATE INDEX CONCURRENTLY ix_items_b ON items (b);\n";

    [Fact]
    public async Task A_no_transaction_script_can_create_indexes_concurrently()
    {
        WriteScript("01_table.sql", "CREATE TABLE items (a int, b int);");
        WriteScript("02_indexes.sql", "-- Builds indexes without blocking writes.\n-- migrator:no-transaction\n" + ConcurrentIndexes);

        var run = await MigrateAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE indrelid = 'items'::regclass AND indisvalid"));
        Assert.Equal(["01_table.sql", "02_indexes.sql"], await JournaledNamesAsync());
    }

    [Fact]
    public async Task Without_the_marker_the_same_script_fails_inside_its_transaction()
    {
        WriteScript("01_table.sql", "CREATE TABLE items (a int, b int);");
        WriteScript("02_indexes.sql", ConcurrentIndexes);

        var run = await MigrateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot run inside a transaction block", run.Stderr);
    }

    [Fact]
    public async Task An_optional_script_that_fails_is_warned_about_not_journaled_and_the_run_continues()
    {
        WriteScript("01_first.sql", "CREATE TABLE first_table (id int);");
        WriteScript("02_tablespace.sql",
            "-- migrator:optional\n-- migrator:no-transaction\n-- migrator:tablespace\nCREATE TABLESPACE ims_missing_tbs LOCATION '/nonexistent/ims_tbs';\n");
        WriteScript("03_last.sql", "CREATE TABLE last_table (id int);");

        var run = await MigrateAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: Applying 02_tablespace.sql ... skipped", run.Stderr);
        Assert.Contains("/nonexistent/ims_tbs", run.Stderr);
        Assert.Contains("--skip-tablespace", run.Stderr);
        Assert.Equal(["01_first.sql", "03_last.sql"], await JournaledNamesAsync());
        Assert.True(await TableExistsAsync("last_table"));
    }

    [Fact]
    public async Task Skip_tablespace_skips_the_scripts_marked_tablespace_and_nothing_else()
    {
        WriteScript("01_tablespace.sql", "-- migrator:tablespace\n-- migrator:no-transaction\nCREATE TABLESPACE ims_missing_tbs LOCATION '/nonexistent/ims_tbs';\n");
        WriteScript("01_unmarked.sql", "CREATE TABLE unmarked (id int);");

        var run = await MigrateAsync("--skip-tablespace");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Skipping 01_tablespace.sql (--skip-tablespace)", run.Stdout);
        Assert.Equal(["01_unmarked.sql"], await JournaledNamesAsync());
    }

    [Fact]
    public async Task Without_skip_tablespace_a_required_tablespace_script_fails_the_run()
    {
        WriteScript("01_tablespace.sql", "-- migrator:tablespace\n-- migrator:no-transaction\nCREATE TABLESPACE ims_missing_tbs LOCATION '/nonexistent/ims_tbs';\n");

        var run = await MigrateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("01_tablespace.sql, line 3:", run.Stderr);
    }

    [Theory]
    [InlineData("-- migrator:no-transaction\nSELECT 1;", true, false, false)]
    [InlineData("\n--   migrator:optional  \n-- migrator:tablespace\nSELECT 1;", false, true, true)]
    [InlineData("-- just a comment\r\n-- migrator:optional\r\nSELECT 1;", false, true, false)]
    [InlineData("SELECT 1;\n-- migrator:no-transaction\n", false, false, false)]
    [InlineData("-- not a marker: migrator:optional\nSELECT 1;", false, false, false)]
    public void Markers_are_read_from_the_leading_comment_lines_only(string script, bool noTransaction, bool optional, bool tablespace)
    {
        var markers = ScriptCatalog.ReadMarkers(ScriptCatalog.NormalizeLineEndings(script));

        Assert.Equal(new ScriptMarkers(noTransaction, optional, tablespace), markers);
    }
}
