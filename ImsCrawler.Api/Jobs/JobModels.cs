using System.Text.Json;

namespace ImsCrawler.Api.Jobs;

/// <summary>A job as the Jobs service published it (ims.job_schedules), with its latest runs.</summary>
public sealed record JobResponse(
    string Name,
    string Description,
    string Schedule,
    string TimeZone,
    string PeriodKind,
    bool Enabled,
    DateTimeOffset? NextRunAt,
    DateTimeOffset PublishedAt,
    IReadOnlyList<JobRunResponse> LastRuns);

public sealed record JobRunResponse(
    long RunId,
    string Job,
    string Period,
    DateTimeOffset? PeriodFrom,
    DateTimeOffset? PeriodTo,
    string Trigger,
    long? RequestId,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    long? RowsAffected,
    string? Error,
    JsonElement? Details,
    string? Instance);

public sealed record JobRunPage(IReadOnlyList<JobRunResponse> Items, long? NextBeforeId);

public sealed record ListJobRunsRequest(long? BeforeId, int? Limit);

/// <summary>Body of POST /api/jobs/{name}/run; all optional: <c>{"date":"2024-03-14"}</c> or <c>{"month":"2024-03"}</c>.</summary>
public sealed record RunJobRequest(string? Date, string? Month);

public sealed record JobRequestAccepted(long RequestId, string Job, string? Period, DateTimeOffset RequestedAt);

public sealed record BackupResponse(string Name, long SizeBytes, DateTimeOffset CreatedAt, string? ServerVersion);

internal sealed class JobScheduleRow
{
    public const string Columns = """
        job_name as Name, description as Description, schedule as Schedule, time_zone as TimeZone,
        period_kind as PeriodKind, enabled as Enabled, next_run_at as NextRunAt, updated_at as UpdatedAt
        """;

    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Schedule { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string PeriodKind { get; set; } = "";
    public bool Enabled { get; set; }
    public DateTime? NextRunAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public JobResponse ToResponse(IReadOnlyList<JobRunResponse> lastRuns) => new(
        Name, Description, Schedule, TimeZone, PeriodKind, Enabled,
        NextRunAt is { } next ? InZone(next, Zone) : null, InZone(UpdatedAt, Zone), lastRuns);

    /// <summary>A timestamptz read as UTC, shown with the offset of the jobs' time zone.</summary>
    public static DateTimeOffset InZone(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone);
}

internal sealed class JobRunRow
{
    public const string Columns = """
        run_id as RunId, job_name as Job, period_key as Period, period_from as PeriodFrom, period_to as PeriodTo,
        trigger as Trigger, request_id as RequestId, status as Status, started_at as StartedAt, finished_at as FinishedAt,
        rows_affected as RowsAffected, error as Error, details::text as Details, instance as Instance
        """;

    public long RunId { get; set; }
    public string Job { get; set; } = "";
    public string Period { get; set; } = "";
    public DateTime? PeriodFrom { get; set; }
    public DateTime? PeriodTo { get; set; }
    public string Trigger { get; set; } = "";
    public long? RequestId { get; set; }
    public string Status { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public long? RowsAffected { get; set; }
    public string? Error { get; set; }
    public string? Details { get; set; }
    public string? Instance { get; set; }

    public JobRunResponse ToResponse(TimeZoneInfo zone) => new(
        RunId, Job, Period, At(PeriodFrom, zone), At(PeriodTo, zone), Trigger, RequestId, Status,
        JobScheduleRow.InZone(StartedAt, zone), At(FinishedAt, zone), RowsAffected, Error,
        Identity.Json.Parse(Details), Instance);

    private static DateTimeOffset? At(DateTime? utc, TimeZoneInfo zone) => utc is { } value ? JobScheduleRow.InZone(value, zone) : null;
}
