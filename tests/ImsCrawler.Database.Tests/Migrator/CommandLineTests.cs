using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed class CommandLineTests : MigratorTestBase
{
    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--port abc", "abc")]
    [InlineData("--port 70000", "between 1 and 65535")]
    [InlineData("--scripts /nonexistent/ims-scripts", "/nonexistent/ims-scripts")]
    [InlineData("--dry-run --status", "cannot be combined")]
    public async Task Bad_options_give_a_one_line_error_a_non_zero_exit_and_change_nothing(string arguments, string expectedInMessage)
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");
        string[] args = arguments.StartsWith("--scripts", StringComparison.Ordinal)
            ? arguments.Split(' ')
            : ["--scripts", ScriptsDirectory, .. arguments.Split(' ')];

        var run = await RunCliAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        var message = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", message);
        Assert.Contains(expectedInMessage, message);
        Assert.False(await Server.DatabaseExistsAsync(DatabaseName));
    }

    [Fact]
    public async Task Help_describes_the_options()
    {
        var run = await RunCliAsync(["--help"]);

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--host", "--port", "--user", "--password", "--database", "--skip-tablespace", "--dry-run", "--status", "--scripts" })
            Assert.Contains(option, run.Stdout);
    }

    [Fact]
    public async Task The_database_option_overrides_the_connection_string()
    {
        WriteScript("01_table.sql", "CREATE TABLE t (id int);");
        var otherDatabase = PostgresServer.UniqueName("ims_other");
        try
        {
            var run = await MigrateAsync("--database", otherDatabase);

            Assert.Equal(0, run.ExitCode);
            Assert.True(await Server.DatabaseExistsAsync(otherDatabase));
            Assert.False(await Server.DatabaseExistsAsync(DatabaseName));
        }
        finally
        {
            await Server.DropDatabaseAsync(otherDatabase);
        }
    }
}
