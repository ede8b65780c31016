using ImsCrawler.Migrator.Scripts;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Migrator;

/// <summary>The shared fixture's database is the real sql/ scripts applied by the real Migrator.</summary>
public sealed class TemplateFixtureTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_fixture_database_has_every_repository_script_journaled_except_tablespace_ones()
    {
        var expected = ScriptCatalog.Load(RepositoryScripts.Directory)
            .Where(script => !script.Markers.Tablespace)
            .Select(script => script.Name);
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT script_name FROM migrator.applied_scripts ORDER BY script_name COLLATE \"C\"", connection);
        var journaled = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                journaled.Add(reader.GetString(0));

        Assert.Equal(expected, journaled);
        Assert.Equal(fixture.DatabaseName, connection.Database);
    }
}
