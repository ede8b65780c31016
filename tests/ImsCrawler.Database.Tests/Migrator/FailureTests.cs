namespace ImsCrawler.Database.Tests.Migrator;

public sealed class FailureTests : MigratorTestBase
{
    [Fact]
    public async Task A_failing_script_is_rolled_back_reported_with_its_line_and_stops_the_run()
    {
        WriteScript("01_ok.sql", "CREATE TABLE first_table (id int);");
        WriteScript("02_broken.sql", "CREATE TABLE second_table (id int);\nINSERT INTO second_table VALUES (1);\n-- the next line is wrong\nCREATE TABLEX third_table (id int);\n");
        WriteScript("03_never.sql", "CREATE TABLE never_table (id int);");

        var run = await MigrateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("02_broken.sql, line 4: 42601: syntax error at or near \"TABLEX\"", run.Stderr);
        Assert.False(await TableExistsAsync("second_table"));
        Assert.False(await TableExistsAsync("never_table"));
        Assert.Equal(["01_ok.sql"], await JournaledNamesAsync());
    }

    [Fact]
    public async Task The_next_run_applies_the_fixed_script()
    {
        WriteScript("01_broken.sql", "CREATE TABLE t (id int);\nSELECT no_such_column FROM t;");
        Assert.Equal(1, (await MigrateAsync()).ExitCode);
        WriteScript("01_broken.sql", "CREATE TABLE t (id int);\nSELECT id FROM t;");

        var run = await MigrateAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["01_broken.sql"], await JournaledNamesAsync());
    }

    [Theory]
    [InlineData("SELEC 1;", 1)]
    [InlineData("-- header\n\nSELECT 1;\nSELECT 2;\n\nSELECT 3 +;\n", 6)]
    [InlineData("SELECT 1;\nSELECT\n  1,\n  no_such_function(2);", 4)]
    [InlineData("CREATE TABLE t (id int);\n\n  SELECT 1 / 0;", 3)]
    [InlineData("SELECT 1; SELECT 2;\nSELECT 1; SELECT x FROM no_such_table;", 2)]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\n  RETURN 2 +;\nEND $$;", 4)]
    [InlineData("SELECT 'a;b'; -- ;\n/* ; */ SELECT 1;\nSELECT 'x' FROM missing_table;", 3)]
    public async Task Reports_the_line_of_the_failing_statement_in_the_file(string script, int expectedLine)
    {
        WriteScript("01_script.sql", script);

        var run = await MigrateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"01_script.sql, line {expectedLine}:", run.Stderr);
    }

    [Fact]
    public async Task Reports_the_line_of_a_failure_in_a_no_transaction_script()
    {
        WriteScript("01_concurrently.sql", "-- migrator:no-transaction\nCREATE TABLE t (id int);\n\nCREATE INDEX CONCURRENTLY ix ON t (no_such_column);\n");

        var run = await MigrateAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("01_concurrently.sql, line 4: 42703", run.Stderr);
        Assert.Empty(await JournaledNamesAsync());
    }
}
