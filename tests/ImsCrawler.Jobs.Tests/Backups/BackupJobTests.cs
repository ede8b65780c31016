using System.Diagnostics;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Tests.Infrastructure;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.Shared.Postgres;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ImsCrawler.Jobs.Tests.Backups;

public sealed class BackupJobTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private static readonly string[] ContractTables =
    [
        "users", "crawl_sessions", "issues", "session_issues", "issue_comments", "issue_history", "attachments",
        "search_queries", "session_errors", "analytics_daily", "analytics_monthly", "audit_log",
    ];

    private readonly string directory = Directory.CreateTempSubdirectory("ims-backups-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_backup_restored_into_a_new_database_has_the_same_rows_in_every_table()
    {
        var userId = await TestData.CreateUserAsync(database, """{"retention_days": 30}""");
        await TestData.CreateSessionAsync(database, userId, DateTimeOffset.UtcNow.AddDays(-1));
        await using var jobs = await StartAsync();

        var result = await jobs.RunAsync(JobNames.Backup, JobPeriod.ForOccurrence(TestData.Now, TimeZoneInfo.Utc));

        Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.Equal($"{database.DatabaseName}_20240314T100000Z.backup", Path.GetFileName(file));
        Assert.Equal([(Path.GetFileName(file), new FileInfo(file).Length)], await TestData.QueryAsync<(string, long)>(database,
            "select file_name, size_bytes from ims.job_backups where directory = @directory and removed_at is null", new { directory }));

        var restored = await database.Server.CreateEmptyDatabaseAsync("ims_restored");
        try
        {
            await RestoreAsync(file, restored);
            // job_runs and job_backups change after the dump by design (the backup's own run and file).
            var original = await RowCountsAsync(database.ConnectionString);
            Assert.Superset(ContractTables.ToHashSet(), original.Keys.ToHashSet());
            Assert.Equal(original.Where(IsData), (await RowCountsAsync(restored)).Where(IsData));
            Assert.True(original["crawl_sessions"] > 0);
        }
        finally
        {
            await database.Server.DropDatabaseAsync(restored);
        }
    }

    [Fact]
    public async Task Only_the_newest_backups_are_kept()
    {
        await using var jobs = await StartAsync(new() { ["Jobs:Backup:Keep"] = "2" });

        for (var minute = 0; minute < 3; minute++)
        {
            var result = await jobs.RunAsync(JobNames.Backup, JobPeriod.ForOccurrence(jobs.Time.GetUtcNow(), TimeZoneInfo.Utc));
            Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
            jobs.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var prefix = database.DatabaseName;
        Assert.Equal([$"{prefix}_20240314T100100Z.backup", $"{prefix}_20240314T100200Z.backup"],
            Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        Assert.Equal([$"{prefix}_20240314T100000Z.backup"], await TestData.QueryAsync<string>(database,
            "select file_name from ims.job_backups where directory = @directory and removed_at is not null", new { directory }));
    }

    [Fact]
    public async Task A_pg_dump_older_than_the_server_fails_with_a_message_saying_what_to_install()
    {
        var bin = FakePgDump("9.6.24");
        await using var jobs = await StartAsync(new() { ["Jobs:Backup:BinDirectory"] = bin });

        var result = await jobs.RunAsync(JobNames.Backup, JobPeriod.ForOccurrence(TestData.Now, TimeZoneInfo.Utc));

        Assert.Equal(JobRunStatus.Failed, result.Status);
        Assert.Matches(@"^pg_dump 9 \(.+\) is older than the PostgreSQL \d+ server and cannot dump it: install the PostgreSQL \d+ client tools", result.Error);
    }

    [Fact]
    public async Task The_password_reaches_pg_dump_in_its_environment_never_on_its_command_line()
    {
        var bin = FakePgDump("99.0");
        await using var jobs = await StartAsync(new() { ["Jobs:Backup:BinDirectory"] = bin });

        var result = await jobs.RunAsync(JobNames.Backup, JobPeriod.ForOccurrence(TestData.Now, TimeZoneInfo.Utc));

        Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
        var arguments = await File.ReadAllTextAsync(Path.Combine(bin, "arguments"));
        Assert.Contains("--format=custom", arguments);
        Assert.DoesNotContain(ServiceLogins.JobsPassword, arguments);
        Assert.Equal(ServiceLogins.JobsPassword, (await File.ReadAllTextAsync(Path.Combine(bin, "password"))).Trim());
    }

    private Task<JobsHost> StartAsync(Dictionary<string, string?>? settings = null, string? connectionString = null)
    {
        settings ??= [];
        settings["Jobs:Backup:Directory"] = directory;
        return JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now), settings, connectionString);
    }

    /// <summary>A stand-in pg_dump of the given version that records its arguments and PGPASSWORD and writes an empty file.</summary>
    private string FakePgDump(string version)
    {
        var bin = Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;
        var script = Path.Combine(bin, "pg_dump");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) {{version}}"; exit 0; fi
            echo "$@" > "{{bin}}/arguments"
            echo "$PGPASSWORD" > "{{bin}}/password"
            for argument in "$@"; do case "$argument" in --file=*) : > "${argument#--file=}";; esac; done
            """.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    private static async Task RestoreAsync(string file, string connectionString)
    {
        var pgRestore = PostgresInstallations.FindNewest("pg_restore", null) ?? throw new InvalidOperationException("pg_restore not found");
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var startInfo = new ProcessStartInfo(pgRestore.Path) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--exit-on-error", "--no-password", $"--host={target.Host}", $"--port={target.Port}",
                     $"--username={target.Username}", $"--dbname={target.Database}", file })
            startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_restore failed: {errors}");
    }

    private static bool IsData(KeyValuePair<string, long> table) => !table.Key.StartsWith("job_", StringComparison.Ordinal);

    private static async Task<Dictionary<string, long>> RowCountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select tablename from pg_tables where schemaname = 'ims' order by 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from ims.\"{table}\"", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }
        return counts;
    }
}
