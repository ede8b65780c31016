using System.Globalization;
using Dapper;
using ImsCrawler.Api.Audit;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Shared.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ImsCrawler.Api.Jobs;

/// <summary>
/// The maintenance jobs (admins only). The Jobs service publishes each job's schedule and next run to
/// ims.job_schedules and records runs in ims.job_runs; "run now" inserts into ims.job_requests, whose
/// trigger notifies the Jobs service (channel ims_jobs). See docs/jobs.md.
/// </summary>
public static class JobsEndpoints
{
    public const int LastRunsShown = 5;
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(ImsPolicies.Admin);
        jobs.MapGet("/", ListJobs).WithName(nameof(ListJobs))
            .WithSummary("Maintenance jobs with their schedule, next run and last runs (admin)");
        jobs.MapGet("/{name}/runs", ListJobRuns).WithName(nameof(ListJobRuns))
            .WithSummary("A job's runs, newest first, keyset-paged (admin)").ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{name}/run", RunJob).WithName(nameof(RunJob))
            .WithSummary("Ask the Jobs service to run a job now, optionally for a given day or month (admin)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var backups = routes.MapGroup("/api/backups").WithTags("Jobs").RequireAuthorization(ImsPolicies.Admin);
        backups.MapGet("/", ListBackups).WithName(nameof(ListBackups))
            .WithSummary("Backup files the backup job wrote (admin)");
        return jobs;
    }

    /// <summary>Every job the Jobs service published, with its next run (in the jobs' time zone) and latest runs.</summary>
    public static async Task<Ok<IReadOnlyList<JobResponse>>> ListJobs(HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var jobs = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
        {
            var schedules = (await connection.QueryAsync<JobScheduleRow>(new CommandDefinition(
                $"select {JobScheduleRow.Columns} from ims.job_schedules order by job_name", transaction: transaction,
                cancellationToken: token))).AsList();
            var runs = (await connection.QueryAsync<JobRunRow>(new CommandDefinition($"""
                select {JobRunRow.Columns}
                from (select latest.*
                      from ims.job_schedules s
                      cross join lateral (select * from ims.job_runs r where r.job_name = s.job_name
                                          order by r.run_id desc limit @LastRunsShown) latest) runs
                order by run_id desc
                """, new { LastRunsShown }, transaction, cancellationToken: token))).AsList();
            return schedules.Select(schedule => schedule.ToResponse(
                runs.Where(run => run.Job == schedule.Name).Select(run => run.ToResponse(schedule.Zone)).ToList())).ToList();
        }, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<JobResponse>>(jobs);
    }

    /// <summary>A job's runs, newest first, keyset-paged by run id.</summary>
    public static async Task<Results<Ok<JobRunPage>, NotFound, ValidationProblem>> ListJobRuns(
        string name, [AsParameters] ListJobRunsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var limit = request.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxLimit}."] });

        var page = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
        {
            if (await FindScheduleAsync(connection, transaction, name, token) is not { } schedule)
                return null;
            var rows = await connection.QueryAsync<JobRunRow>(new CommandDefinition($"""
                select {JobRunRow.Columns} from ims.job_runs
                where job_name = @name and (@beforeId::bigint is null or run_id < @beforeId)
                order by run_id desc
                limit @limit
                """, new { name, beforeId = request.BeforeId, limit }, transaction, cancellationToken: token));
            return rows.Select(row => row.ToResponse(schedule.Zone)).ToList();
        }, cancellationToken);

        if (page is null)
            return TypedResults.NotFound();
        return TypedResults.Ok(new JobRunPage(page, page.Count == limit ? page[^1].RunId : null));
    }

    /// <summary>
    /// Asks the Jobs service to run a job now: 202 with the request id. Day jobs take <c>date</c>, month jobs
    /// <c>month</c>, both optional (default: yesterday / last month); the period must be over.
    /// </summary>
    public static async Task<Results<Accepted<JobRequestAccepted>, NotFound, ValidationProblem>> RunJob(
        string name, RunJobRequest? request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var caller = http.User.GetDatabaseUser();
        var outcome = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            if (await FindScheduleAsync(connection, transaction, name, token) is not { } schedule)
                return (Accepted: (JobRequestAccepted?)null, Errors: (Dictionary<string, string[]>?)null);
            var errors = new RequestErrors();
            var period = JobPeriods.Validate(schedule, request ?? new RunJobRequest(null, null), DateTimeOffset.UtcNow, errors);
            if (errors.Any)
                return (null, errors.ToDictionary());
            var accepted = await InsertRequestAsync(connection, transaction, schedule.Name, period, http, token);
            await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "job.requested", "job", schedule.Name,
                new { accepted.RequestId, accepted.Period }, token);
            return (accepted, null);
        }, cancellationToken);

        if (outcome.Errors is { } validation)
            return TypedResults.ValidationProblem(validation);
        if (outcome.Accepted is not { } result)
            return TypedResults.NotFound();
        return TypedResults.Accepted($"/api/jobs/{Uri.EscapeDataString(result.Job)}/runs", result);
    }

    /// <summary>Backup files the backup job wrote and retention has not removed, newest first.</summary>
    public static async Task<Ok<IReadOnlyList<BackupResponse>>> ListBackups(HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var backups = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
            (await connection.QueryAsync<(string Name, long Size, DateTime CreatedAt, string? ServerVersion)>(new CommandDefinition("""
                select file_name, size_bytes, created_at, server_version from ims.job_backups
                where removed_at is null
                order by created_at desc, backup_id desc
                """, transaction: transaction, cancellationToken: token)))
            .Select(row => new BackupResponse(row.Name, row.Size, new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)), row.ServerVersion))
            .ToList(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<BackupResponse>>(backups);
    }

    private static Task<JobScheduleRow?> FindScheduleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name,
        CancellationToken token) =>
        connection.QuerySingleOrDefaultAsync<JobScheduleRow>(new CommandDefinition(
            $"select {JobScheduleRow.Columns} from ims.job_schedules where job_name = @name", new { name }, transaction,
            cancellationToken: token));

    private static async Task<JobRequestAccepted> InsertRequestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string job, string? period, HttpContext http, CancellationToken token)
    {
        var requestedBy = $"api:{http.User.FindFirst(ImsClaims.UserName)?.Value ?? http.User.GetUserId().ToString(CultureInfo.InvariantCulture)}";
        var (requestId, requestedAt) = await connection.QuerySingleAsync<(long, DateTime)>(new CommandDefinition("""
            insert into ims.job_requests (job_name, period_key, requested_by) values (@job, @period, @requestedBy)
            returning request_id, requested_at
            """, new { job, period, requestedBy }, transaction, cancellationToken: token));
        return new JobRequestAccepted(requestId, job, period, new DateTimeOffset(DateTime.SpecifyKind(requestedAt, DateTimeKind.Utc)));
    }
}

/// <summary>Checks a requested period against the job's kind (day, month or none) and the jobs' time zone (<see cref="PeriodKeys"/>).</summary>
internal static class JobPeriods
{
    public static string? Validate(JobScheduleRow job, RunJobRequest request, DateTimeOffset now, RequestErrors errors)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, job.Zone).DateTime);
        var kind = PeriodKeys.Parse(job.PeriodKind) ?? PeriodKind.Occurrence;
        var (field, value) = kind switch
        {
            PeriodKind.Day => ("date", request.Date),
            PeriodKind.Month => ("month", request.Month),
            _ => ((string?)null, (string?)null),
        };
        NotAllowed(errors, "date", field == "date" ? null : request.Date, job.Name);
        NotAllowed(errors, "month", field == "month" ? null : request.Month, job.Name);
        if (field is null || value is null)
            return null;
        var key = PeriodKeys.TryRead(kind, value, today, job.TimeZone, out var error);
        if (error is not null)
            errors.Add(field, $"{field} {error}");
        return key ?? value;
    }

    private static void NotAllowed(RequestErrors errors, string field, string? value, string job)
    {
        if (value is not null)
            errors.Add(field, $"Job {job} takes no {field}.");
    }
}
