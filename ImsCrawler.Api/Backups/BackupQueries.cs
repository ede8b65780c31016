using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Backups;

/// <summary>The SQL of backups: the files ims.job_backups records.</summary>
public static class BackupQueries
{
    private const string ListSql = """
        select file_name, size_bytes, created_at, server_version from ims.job_backups
        where removed_at is null
        order by created_at desc, backup_id desc
        """;

    /// <summary>Backups not yet removed by retention, newest first.</summary>
    public static async Task<IReadOnlyList<BackupResponse>> ListBackupsAsync(this UserSession session) =>
        (await session.QueryAsync<(string Name, long Size, DateTime CreatedAt, string? ServerVersion)>(ListSql))
        .Select(row => new BackupResponse(row.Name, row.Size, new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)),
            row.ServerVersion))
        .ToList();
}
