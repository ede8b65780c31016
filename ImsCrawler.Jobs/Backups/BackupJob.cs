using System.Diagnostics;
using System.Globalization;
using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.Shared.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImsCrawler.Jobs.Backups;

/// <summary>
/// <c>pg_dump -Fc</c> of the IMS database into Jobs:Backup:Directory as <c>&lt;database&gt;_&lt;UTC time&gt;.backup</c>
/// (written as .partial, renamed when complete), recorded in ims.job_backups; keeps the newest Jobs:Backup:Keep
/// files. The password reaches pg_dump through PGPASSWORD, never its command line.
/// </summary>
public sealed class BackupJob(
    NpgsqlDataSource dataSource,
    DatabaseConnectionString connectionString,
    IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<BackupJob> logger) : IJob
{
    public const string Extension = ".backup";

    public JobDefinition Definition => JobDefinitions.Backup;

    public async Task<JobOutcome> RunAsync(JobPeriod period, CancellationToken cancellationToken)
    {
        var settings = options.Value.Backup;
        var server = await ServerVersionAsync(cancellationToken);
        var pgDump = FindPgDump(settings, server.Major);
        var target = new NpgsqlConnectionStringBuilder(connectionString.Value);
        var directory = Directory.CreateDirectory(settings.EffectiveDirectory).FullName;
        var fileName = $"{target.Database}_{timeProvider.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}{Extension}";
        var path = Path.Combine(directory, fileName);

        await DumpAsync(pgDump, target, path, cancellationToken);
        var size = new FileInfo(path).Length;
        await RecordAsync(fileName, directory, size, server.Version, cancellationToken);
        var removed = await ApplyRetentionAsync(directory, target.Database!, settings.Keep, cancellationToken);
        return new JobOutcome(null, new { file = path, bytes = size, pgDump = pgDump.Path, removed });
    }

    private async Task<(string Version, int Major)> ServerVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (version, number) = await connection.QuerySingleAsync<(string, int)>(new CommandDefinition(
            "select current_setting('server_version'), current_setting('server_version_num')::integer",
            cancellationToken: cancellationToken));
        return (version, number / 10000);
    }

    private static PostgresProgram FindPgDump(BackupOptions settings, int serverMajor)
    {
        var pgDump = PostgresInstallations.FindNewest("pg_dump", settings.BinDirectory)
            ?? throw new InvalidOperationException(
                $"pg_dump was not found ({(string.IsNullOrWhiteSpace(settings.BinDirectory) ? PostgresInstallations.SearchedPlaces : settings.BinDirectory)}): " +
                $"install the PostgreSQL {serverMajor} client tools (e.g. apt install postgresql-client-{serverMajor}) or set Jobs:Backup:BinDirectory.");
        if (pgDump.MajorVersion < serverMajor)
            throw new InvalidOperationException(
                $"pg_dump {pgDump.MajorVersion} ({pgDump.Path}) is older than the PostgreSQL {serverMajor} server and cannot dump it: " +
                $"install the PostgreSQL {serverMajor} client tools (e.g. apt install postgresql-client-{serverMajor}) or point Jobs:Backup:BinDirectory at them.");
        return pgDump;
    }

    private async Task DumpAsync(PostgresProgram pgDump, NpgsqlConnectionStringBuilder target, string path, CancellationToken cancellationToken)
    {
        var partial = path + ".partial";
        using var process = Process.Start(DumpStartInfo(pgDump, target, partial))
            ?? throw new InvalidOperationException($"Could not start {pgDump.Path}.");
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            File.Delete(partial);
            throw;
        }
        if (process.ExitCode != 0)
        {
            File.Delete(partial);
            throw new InvalidOperationException($"pg_dump exited with code {process.ExitCode}: {(await stderr).Trim()}");
        }
        File.Move(partial, path);
        logger.LogInformation("Backup written to {Path}", path);
    }

    private static ProcessStartInfo DumpStartInfo(PostgresProgram pgDump, NpgsqlConnectionStringBuilder target, string file)
    {
        var startInfo = new ProcessStartInfo(pgDump.Path)
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            // The jobs login reads the RLS-forced tables through ims_admin's policies, which needs row security on.
            "--format=custom", "--no-password", "--enable-row-security", $"--file={file}",
            $"--host={target.Host}", $"--port={target.Port.ToString(CultureInfo.InvariantCulture)}",
            $"--username={target.Username}", $"--dbname={target.Database}",
        ];
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        if (!string.IsNullOrEmpty(target.Password))
            startInfo.Environment["PGPASSWORD"] = target.Password;
        startInfo.Environment["PGAPPNAME"] = "ims-jobs-backup";
        return startInfo;
    }

    private async Task RecordAsync(string fileName, string directory, long size, string serverVersion, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into ims.job_backups (file_name, directory, size_bytes, server_version)
            values (@fileName, @directory, @size, @serverVersion)
            on conflict (directory, file_name) do update
                set size_bytes = excluded.size_bytes, created_at = now(), removed_at = null
            """, new { fileName, directory, size, serverVersion }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> backups of the database (names sort by time).</summary>
    private async Task<string[]> ApplyRetentionAsync(string directory, string database, int keep, CancellationToken cancellationToken)
    {
        var old = Directory.EnumerateFiles(directory, $"{database}_*{Extension}")
            .Select(Path.GetFileName)
            .OfType<string>()
            .OrderByDescending(name => name, StringComparer.Ordinal)
            .Skip(keep)
            .ToArray();
        foreach (var name in old)
            File.Delete(Path.Combine(directory, name));
        if (old.Length == 0)
            return old;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update ims.job_backups set removed_at = now() where directory = @directory and file_name = any(@old) and removed_at is null",
            new { directory, old }, cancellationToken: cancellationToken));
        logger.LogInformation("Backup retention removed {Files}", string.Join(", ", old));
        return old;
    }
}

/// <summary>The full connection string of the IMS database (with its password), for child processes such as pg_dump.</summary>
public sealed record DatabaseConnectionString(string Value);
