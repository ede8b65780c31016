using ImsCrawler.Migrator.Scripts;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed class ApplyTests : MigratorTestBase
{
    [Fact]
    public async Task Creates_the_missing_database_as_UTF8_and_applies_scripts_in_file_name_order()
    {
        WriteScript("10_third.sql", "INSERT INTO log (entry) VALUES ('third');");
        WriteScript("01_first.sql", "CREATE TABLE log (id serial PRIMARY KEY, entry text);\nINSERT INTO log (entry) VALUES ('first');");
        WriteScript("02_second.sql", "INSERT INTO log (entry) VALUES ('second');");
        Assert.False(await Server.DatabaseExistsAsync(DatabaseName));

        var run = await MigrateAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.True(await Server.DatabaseExistsAsync(DatabaseName));
        Assert.Equal("UTF8", await ScalarAsync<string>("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"));
        Assert.Equal("first,second,third", await ScalarAsync<string>("SELECT string_agg(entry, ',' ORDER BY id) FROM log"));
        Assert.Equal(["01_first.sql", "02_second.sql", "10_third.sql"], await JournaledNamesAsync());
        Assert.Matches(@"Applying 02_second\.sql \.\.\. done \(\d+ ms\)", run.Stdout);
    }

    [Fact]
    public async Task Journals_the_sha256_of_the_text_with_CRLF_normalised_to_LF()
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);\r\nINSERT INTO t VALUES (1);\r\n");

        await MigrateAsync();
        WriteScript("01_table.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n");
        var secondRun = await MigrateAsync();

        var journal = await ReadJournalAsync();
        Assert.Equal(ScriptCatalog.ComputeSha256("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"), Assert.Single(journal).Sha256);
        Assert.Equal(0, secondRun.ExitCode);
    }

    [Fact]
    public async Task A_second_run_applies_nothing_and_leaves_the_journal_unchanged()
    {
        WriteScript("01_table.sql", "CREATE TABLE counter (n int);");
        WriteScript("02_row.sql", "INSERT INTO counter VALUES (1);");
        await MigrateAsync();
        var journalAfterFirstRun = await ReadJournalAsync();

        var secondRun = await MigrateAsync();

        Assert.Equal(0, secondRun.ExitCode);
        Assert.Contains("Nothing to apply", secondRun.Stdout);
        Assert.DoesNotContain("Applying", secondRun.Stdout);
        Assert.Equal(journalAfterFirstRun, await ReadJournalAsync());
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM counter"));
    }

    [Fact]
    public async Task Two_migrators_started_together_apply_each_script_once()
    {
        WriteScript("01_table.sql", "CREATE TABLE applications (script text);");
        WriteScript("02_slow.sql", "INSERT INTO applications VALUES ('02'); SELECT pg_sleep(0.5);");
        WriteScript("03_row.sql", "INSERT INTO applications VALUES ('03');");

        var runs = await Task.WhenAll(MigrateAsync(), MigrateAsync());

        Assert.All(runs, run => Assert.Equal(0, run.ExitCode));
        Assert.Equal(["01_table.sql", "02_slow.sql", "03_row.sql"], await JournaledNamesAsync());
        Assert.Equal("02,03", await ScalarAsync<string>("SELECT string_agg(script, ',' ORDER BY script) FROM applications"));
        Assert.Single(runs, run => run.Stdout.Contains("Nothing to apply"));
    }

    [Fact]
    public async Task Warns_about_a_journaled_script_whose_file_is_missing_but_still_succeeds()
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");
        await MigrateAsync();
        File.Delete(Path.Combine(ScriptsDirectory, "01_table.sql"));
        WriteScript("02_row.sql", "INSERT INTO t VALUES (1);");

        var run = await MigrateAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: 01_table.sql is in the journal but its file is missing", run.Stderr);
        Assert.Equal(["01_table.sql", "02_row.sql"], await JournaledNamesAsync());
    }

    [Fact]
    public async Task Logs_notices_from_PostgreSQL()
    {
        WriteScript("01_notice.sql", "DO $$ BEGIN RAISE NOTICE 'hello from the script'; END $$;");

        var run = await MigrateAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("PostgreSQL NOTICE: hello from the script", run.Stdout);
    }
}
