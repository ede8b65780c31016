using System.Diagnostics;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Schema;

/// <summary>
/// docs/schema-current.sql is the final definition of every object after all scripts (pg_dump --schema-only of a
/// freshly migrated database), so a reader never has to replay later scripts over earlier ones in their head.
/// It is generated, checked in, and this test fails when it is out of date. To refresh it:
/// <c>IMS_UPDATE_SCHEMA_SNAPSHOT=1 dotnet test tests/ImsCrawler.Database.Tests --filter SchemaSnapshot</c>.
/// </summary>
public sealed partial class SchemaSnapshotTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private const string UpdateVariable = "IMS_UPDATE_SCHEMA_SNAPSHOT";
    private const string VersionLinePrefix = "-- Generated from PostgreSQL ";

    [Fact]
    public async Task Schema_current_sql_is_the_dump_of_a_freshly_migrated_database()
    {
        var path = SnapshotPath();
        var major = await db.ScalarAsync<int>("SELECT current_setting('server_version_num')::int / 10000");
        // The snapshot shows the schema of a stock server: without the optional C extension of sql/18.
        await db.ScalarAsync<bool>("SELECT ims.use_native_cjk_bigrams(false)");
        var current = Header(major) + await DumpSchemaAsync();

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, current);
            return;
        }
        var checkedIn = File.Exists(path) ? (await File.ReadAllTextAsync(path)).Replace("\r\n", "\n") : "";
        // pg_dump's layout differs between major versions: compare only with a dump made by the same one.
        if (!checkedIn.Contains(VersionLinePrefix + major + ".", StringComparison.Ordinal) && File.Exists(path))
        {
            Assert.Contains(VersionLinePrefix, checkedIn);
            return;
        }
        if (checkedIn != current)
        {
            var actual = Path.Combine(Path.GetTempPath(), "schema-current.actual.sql");
            await File.WriteAllTextAsync(actual, current);
            Assert.Fail($"docs/schema-current.sql is out of date with sql/ (this dump: {actual}). " +
                        $"Regenerate it: {UpdateVariable}=1 dotnet test tests/ImsCrawler.Database.Tests --filter SchemaSnapshot");
        }
    }

    private static string Header(int major) => $"""
        -- The ims schema after every script in sql/ (GENERATED: do not edit; the scripts are the source).
        {VersionLinePrefix}{major}.x by pg_dump --schema-only --no-owner --schema=ims.
        -- Regenerate: {UpdateVariable}=1 dotnet test tests/ImsCrawler.Database.Tests --filter SchemaSnapshot

        """;

    private async Task<string> DumpSchemaAsync()
    {
        var target = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var startInfo = new ProcessStartInfo(Path.Combine(PostgresBinaries.FindDirectory(), "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--schema-only", "--no-owner", "--schema=ims", $"--host={target.Host}", $"--port={target.Port}",
                     $"--username={target.Username}", $"--dbname={target.Database}",
                 })
            startInfo.ArgumentList.Add(argument);
        if (!string.IsNullOrEmpty(target.Password))
            startInfo.Environment["PGPASSWORD"] = target.Password;
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        // The version lines differ between minor releases and \restrict carries a random key per dump;
        // nothing else in a schema dump depends on the server or the run.
        return string.Join("\n", (await output).Replace("\r\n", "\n").Split('\n')
            .Where(line => !line.StartsWith("-- Dumped from database version", StringComparison.Ordinal)
                           && !line.StartsWith("-- Dumped by pg_dump version", StringComparison.Ordinal)
                           && !line.StartsWith("\\restrict ", StringComparison.Ordinal)
                           && !line.StartsWith("\\unrestrict ", StringComparison.Ordinal))
            .Select(SortPolicyRoles));
    }

    // pg_dump lists a policy's roles in the order pg_authid happens to return them, which changes when a role is
    // altered (the login tests do): sort them.
    private static string SortPolicyRoles(string line)
    {
        var match = PolicyRoles().Match(line);
        if (!match.Success)
            return line;
        var roles = match.Groups["roles"].Value.Split(", ").Order(StringComparer.Ordinal);
        return line[..match.Groups["roles"].Index] + string.Join(", ", roles) + line[(match.Groups["roles"].Index + match.Groups["roles"].Length)..];
    }

    private static string SnapshotPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ImsCrawler.sln")))
                return Path.Combine(directory.FullName, "docs", "schema-current.sql");
        }
        throw new InvalidOperationException("The repository root (ImsCrawler.sln) was not found above the test binaries.");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^CREATE POLICY .*? TO (?<roles>[\w, ]+?)(?: USING| WITH CHECK|;)")]
    private static partial System.Text.RegularExpressions.Regex PolicyRoles();
}
