using System.Globalization;
using ImsCrawler.Api.Audit;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Paging;
using ImsCrawler.Shared.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Jobs;

/// <summary>
/// The maintenance jobs (admins only). The Jobs service publishes each job's schedule and next run to
/// ims.job_schedules and records runs in ims.job_runs; "run now" inserts into ims.job_requests, whose
/// trigger notifies the Jobs service (channel ims_jobs). See docs/jobs.md.
/// </summary>
public static class JobsEndpoints
{
    public const int LastRunsShown = 5;
    private static readonly Keyset Runs = new("job runs", maxLimit: 500);

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(ImsPolicies.Admin);
        jobs.MapGet("/", ListJobs).WithName(nameof(ListJobs))
            .WithSummary("Maintenance jobs with their schedule, next run and last runs (admin)");
        jobs.MapGet("/{name}/runs", ListJobRuns).WithName(nameof(ListJobRuns))
            .WithSummary("A job's runs, newest first (admin)")
            .WithDescription("Keyset-paged: pass `nextCursor` back as `cursor`; `limit` 1–500, default 50.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{name}/run", RunJob).WithName(nameof(RunJob))
            .WithSummary("Ask the Jobs service to run a job now, optionally for a given day or month (admin)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        return jobs;
    }

    /// <summary>Every job the Jobs service published, with its next run (in the jobs' time zone) and latest runs.</summary>
    public static async Task<Ok<IReadOnlyList<JobResponse>>> ListJobs(HttpContext http, UserDatabase database, CancellationToken cancellationToken) =>
        TypedResults.Ok(await database.RunAsync(http.User.GetDatabaseUser(), session => session.ListJobsAsync(LastRunsShown),
            cancellationToken));

    /// <summary>A job's runs, newest first.</summary>
    public static async Task<Results<Ok<Page<JobRunResponse>>, NotFound, ValidationProblem>> ListJobRuns(
        string name, [AsParameters] ListJobRunsRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var page = Runs.Read(errors, request.Limit, request.Cursor, name);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var runs = await database.RunAsync(http.User.GetDatabaseUser(), async session =>
            await session.FindJobAsync(name) is { } job
                ? page.PageOf(await session.ListJobRunsAsync(name, page), run => new CursorKey(run.RunId), run => run.ToResponse(job))
                : null,
            cancellationToken);
        return runs is null ? TypedResults.NotFound() : TypedResults.Ok(runs);
    }

    /// <summary>
    /// Asks the Jobs service to run a job now: 202 with the request id. Day jobs take <c>date</c>, month jobs
    /// <c>month</c>, both optional (default: yesterday / last month); the period must be over.
    /// </summary>
    public static async Task<Results<Accepted<JobRequestAccepted>, NotFound, ValidationProblem>> RunJob(
        string name, RunJobRequest? request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var requestedBy = $"api:{http.User.FindFirst(ImsClaims.UserName)?.Value ?? http.User.GetUserId().ToString(CultureInfo.InvariantCulture)}";
        var outcome = await database.RunAsync(http.User.GetDatabaseUser(), async session =>
        {
            if (await session.FindJobAsync(name) is not { } job)
                return (Accepted: (JobRequestAccepted?)null, Errors: (Dictionary<string, string[]>?)null);
            var errors = new RequestErrors();
            var period = JobPeriods.Validate(job, request ?? new RunJobRequest(null, null), DateTimeOffset.UtcNow, errors);
            if (errors.Any)
                return (null, errors.ToDictionary());
            var accepted = await session.RequestJobRunAsync(job.Name, period, requestedBy);
            await session.WriteAuditAsync(http, "job.requested", "job", job.Name, new { accepted.RequestId, accepted.Period });
            return (accepted, null);
        }, cancellationToken);

        if (outcome.Errors is { } validation)
            return TypedResults.ValidationProblem(validation);
        if (outcome.Accepted is not { } result)
            return TypedResults.NotFound();
        return TypedResults.Accepted($"/api/jobs/{Uri.EscapeDataString(result.Job)}/runs", result);
    }
}

/// <summary>Checks a requested period against the job's kind (day, month or none) and the jobs' time zone (<see cref="PeriodKeys"/>).</summary>
internal static class JobPeriods
{
    public static string? Validate(JobSchedule job, RunJobRequest request, DateTimeOffset now, RequestErrors errors)
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
