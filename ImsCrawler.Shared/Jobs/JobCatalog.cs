namespace ImsCrawler.Shared.Jobs;

/// <summary>What a period of a job is: a calendar day, a calendar month, or just the scheduled occurrence.</summary>
public enum PeriodKind
{
    Day,
    Month,
    Occurrence,
}

/// <summary>
/// A job's identity, the one contract between the Jobs service that runs it, the Api that lists it and accepts
/// run-now requests, and the AppHost's dashboard commands: its name in the database and the API (kebab-case),
/// its configuration section (<c>Jobs:&lt;Section&gt;</c>), what its periods are, its advisory-lock key, a
/// description and a short title ("daily aggregation").
/// </summary>
public sealed record JobDefinition(string Name, string Section, PeriodKind PeriodKind, int LockKey, string Description, string Title);

public static class JobNames
{
    public const string DailyAggregation = "daily-aggregation";
    public const string MonthlyAggregation = "monthly-aggregation";
    public const string RefreshViews = "refresh-views";
    public const string Retention = "retention";
    public const string Vacuum = "vacuum";
    public const string Backup = "backup";
}

public static class JobDefinitions
{
    public static readonly JobDefinition DailyAggregation = new(JobNames.DailyAggregation, "DailyAggregation", PeriodKind.Day, 1,
        "ims.aggregate_daily_stats for the previous day (analytics_daily)", "daily aggregation");

    public static readonly JobDefinition MonthlyAggregation = new(JobNames.MonthlyAggregation, "MonthlyAggregation", PeriodKind.Month, 2,
        "ims.aggregate_monthly_stats for the previous month (analytics_monthly)", "monthly aggregation");

    public static readonly JobDefinition RefreshViews = new(JobNames.RefreshViews, "RefreshViews", PeriodKind.Occurrence, 3,
        "ims.refresh_materialized_views (mv_daily_session_summary, mv_issue_trends)", "materialized view refresh");

    public static readonly JobDefinition Retention = new(JobNames.Retention, "Retention", PeriodKind.Occurrence, 4,
        "ims.delete_old_sessions for every active user (preferences.retention_days, else Jobs:Retention:DefaultDays)", "retention");

    public static readonly JobDefinition Vacuum = new(JobNames.Vacuum, "Vacuum", PeriodKind.Occurrence, 5,
        "VACUUM (ANALYZE) of the busiest tables", "VACUUM ANALYZE");

    public static readonly JobDefinition Backup = new(JobNames.Backup, "Backup", PeriodKind.Occurrence, 6,
        "pg_dump -Fc into Jobs:Backup:Directory, keeping the newest Jobs:Backup:Keep files", "backup");

    public static IReadOnlyList<JobDefinition> All { get; } =
        [DailyAggregation, MonthlyAggregation, RefreshViews, Retention, Vacuum, Backup];

    public static JobDefinition? Find(string name) => All.FirstOrDefault(job => job.Name == name);
}
