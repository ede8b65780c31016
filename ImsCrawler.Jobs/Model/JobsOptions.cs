using ImsCrawler.Shared.Jobs;

namespace ImsCrawler.Jobs.Model;

/// <summary>The <c>Jobs</c> configuration section; every value has a default (the seed's maintenance plan).</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>IANA or Windows time zone the cron schedules and periods are read in; best equal to ims.stats_time_zone().</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How many past days the daily aggregation catches up at most.</summary>
    public int CatchUpDays { get; set; } = 31;

    /// <summary>How many past months the monthly aggregation catches up at most.</summary>
    public int CatchUpMonths { get; set; } = 3;

    /// <summary>How often pending run-now requests are polled for in case a notification was missed.</summary>
    public TimeSpan RequestPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public JobOptions DailyAggregation { get; set; } = new() { Schedule = "0 2 * * *" };

    public JobOptions MonthlyAggregation { get; set; } = new() { Schedule = "30 1 1 * *" };

    public JobOptions RefreshViews { get; set; } = new() { Schedule = "0 3 * * *" };

    public RetentionOptions Retention { get; set; } = new() { Schedule = "0 4 * * 0" };

    public VacuumOptions Vacuum { get; set; } = new() { Schedule = "0 5 * * 0", Timeout = TimeSpan.FromHours(2) };

    public BackupOptions Backup { get; set; } = new() { Schedule = "0 1 * * *", Timeout = TimeSpan.FromHours(2) };

    public JobOptions For(JobDefinition job) => job.Section switch
    {
        nameof(DailyAggregation) => DailyAggregation,
        nameof(MonthlyAggregation) => MonthlyAggregation,
        nameof(RefreshViews) => RefreshViews,
        nameof(Retention) => Retention,
        nameof(Vacuum) => Vacuum,
        nameof(Backup) => Backup,
        _ => throw new ArgumentOutOfRangeException(nameof(job), job.Name, "No configuration section for this job."),
    };

    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

public class JobOptions
{
    /// <summary>Cron expression: 5 fields (minute hour day month weekday) or 6 with seconds first.</summary>
    public string Schedule { get; set; } = "";

    public bool Enabled { get; set; } = true;

    /// <summary>Longest one run may take; it is cancelled (and recorded as failed) after that.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}

public sealed class RetentionOptions : JobOptions
{
    /// <summary>Retention for users whose preferences have no positive whole <c>retention_days</c>.</summary>
    public int DefaultDays { get; set; } = 90;

    /// <summary>Users per transaction.</summary>
    public int UsersPerBatch { get; set; } = 100;
}

public sealed class VacuumOptions : JobOptions
{
    public static readonly string[] DefaultTables =
        ["crawl_sessions", "session_issues", "issues", "issue_comments", "issue_search_documents"];

    /// <summary>Tables of schema ims to VACUUM (ANALYZE); default <see cref="DefaultTables"/>.</summary>
    public string[]? Tables { get; set; }

    public IReadOnlyList<string> EffectiveTables => Tables is { Length: > 0 } tables ? tables : DefaultTables;
}

public sealed class BackupOptions : JobOptions
{
    /// <summary>Folder for the dump files; default <c>~/.local/share/ims-crawler/backups</c> (else the temp folder).</summary>
    public string? Directory { get; set; }

    /// <summary>How many backup files to keep (newest first).</summary>
    public int Keep { get; set; } = 7;

    /// <summary>Folder of pg_dump; default: the newest found on PATH, via pg_config --bindir or /usr/lib/postgresql/*/bin.</summary>
    public string? BinDirectory { get; set; }

    public string EffectiveDirectory => string.IsNullOrWhiteSpace(Directory) ? DefaultDirectory() : Directory;

    private static string DefaultDirectory()
    {
        var dataRoot = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(dataRoot) ? Path.GetTempPath() : dataRoot, "ims-crawler", "backups");
    }
}
