using ImsCrawler.Api.Data;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Jobs;

/// <summary>
/// The SQL of the maintenance jobs: schedules and runs as the Jobs service records them (ims.job_schedules,
/// ims.job_runs), and run-now requests (ims.job_requests, whose trigger notifies the Jobs service).
/// </summary>
public static class JobQueries
{
    // In the order of JobSchedule's and JobRun's constructors.
    private const string ScheduleColumns =
        "job_name as name, description, schedule, time_zone, period_kind, enabled, next_run_at, updated_at";

    private const string RunColumns = """
        run_id, job_name as job, period_key as period, period_from, period_to, trigger, request_id, status, started_at,
        finished_at, rows_affected, error, details, instance
        """;

    private const string LastRunsSql = $"""
        select {RunColumns}
        from (select latest.*
              from ims.job_schedules s
              cross join lateral (select * from ims.job_runs r where r.job_name = s.job_name
                                  order by r.run_id desc limit @lastRuns) latest) runs
        order by run_id desc
        """;

    private static readonly string RunsSql = $"""
        select {RunColumns} from ims.job_runs
        where job_name = @name and {SqlFilter.Before("run_id")}
        order by run_id desc
        limit @take
        """;

    private const string RequestSql = """
        insert into ims.job_requests (job_name, period_key, requested_by) values (@job, @period, @requestedBy)
        returning request_id, requested_at
        """;

    /// <summary>Every published job with its <paramref name="lastRuns"/> latest runs.</summary>
    public static async Task<IReadOnlyList<JobResponse>> ListJobsAsync(this UserSession session, int lastRuns)
    {
        var schedules = await session.QueryAsync<JobSchedule>($"select {ScheduleColumns} from ims.job_schedules order by job_name");
        var runs = (await session.QueryAsync<JobRun>(LastRunsSql, new { lastRuns })).ToLookup(run => run.Job);
        return schedules.Select(schedule => schedule.ToResponse(runs[schedule.Name].ToList())).ToList();
    }

    public static Task<JobSchedule?> FindJobAsync(this UserSession session, string name) =>
        session.QuerySingleOrDefaultAsync<JobSchedule>($"select {ScheduleColumns} from ims.job_schedules where job_name = @name", new { name });

    /// <summary>A page of the job's runs, newest first.</summary>
    public static Task<IReadOnlyList<JobRun>> ListJobRunsAsync(this UserSession session, string name, PageRequest page) =>
        session.QueryAsync<JobRun>(RunsSql, new { name, after = page.AfterId, take = page.Take });

    /// <summary>Asks the Jobs service to run <paramref name="job"/> (for <paramref name="period"/>, or its default one).</summary>
    public static async Task<JobRequestAccepted> RequestJobRunAsync(this UserSession session, string job, string? period, string requestedBy)
    {
        var (requestId, requestedAt) = await session.QuerySingleAsync<(long, DateTime)>(RequestSql, new { job, period, requestedBy });
        return new JobRequestAccepted(requestId, job, period, new DateTimeOffset(DateTime.SpecifyKind(requestedAt, DateTimeKind.Utc)));
    }
}
