using System.ComponentModel;
using System.Text.Json;
using ImsCrawler.Api.Paging;

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

public sealed record ListJobRunsRequest(
    [property: Description(Keyset.CursorDescription)] string? Cursor,
    [property: Description("Runs per page, 1–500, default 50.")] int? Limit);

/// <summary>Body of POST /api/jobs/{name}/run; all optional: <c>{"date":"2024-03-14"}</c> or <c>{"month":"2024-03"}</c>.</summary>
public sealed record RunJobRequest(string? Date, string? Month);

public sealed record JobRequestAccepted(long RequestId, string Job, string? Period, DateTimeOffset RequestedAt);

/// <summary>A job as ims.job_schedules stores it; its times are shown in the jobs' time zone.</summary>
public sealed record JobSchedule(
    string Name, string Description, string Schedule, string TimeZone, string PeriodKind, bool Enabled, DateTime? NextRunAt,
    DateTime UpdatedAt)
{
    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public JobResponse ToResponse(IReadOnlyList<JobRun> lastRuns) => new(
        Name, Description, Schedule, TimeZone, PeriodKind, Enabled, InZone(NextRunAt), InZone(UpdatedAt),
        lastRuns.Select(run => run.ToResponse(this)).ToList());

    /// <summary>A timestamptz (read as UTC) with the offset of the jobs' time zone.</summary>
    public DateTimeOffset InZone(DateTime utc) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), Zone);

    public DateTimeOffset? InZone(DateTime? utc) => utc is { } value ? InZone(value) : null;
}

/// <summary>A run as ims.job_runs stores it (times in UTC).</summary>
public sealed record JobRun(
    long RunId, string Job, string Period, DateTime? PeriodFrom, DateTime? PeriodTo, string Trigger, long? RequestId,
    string Status, DateTime StartedAt, DateTime? FinishedAt, long? RowsAffected, string? Error, JsonElement? Details,
    string? Instance)
{
    public JobRunResponse ToResponse(JobSchedule job) => new(
        RunId, Job, Period, job.InZone(PeriodFrom), job.InZone(PeriodTo), Trigger, RequestId, Status, job.InZone(StartedAt),
        job.InZone(FinishedAt), RowsAffected, Error, Details, Instance);
}
