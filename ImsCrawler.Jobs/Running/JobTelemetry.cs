using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;

namespace ImsCrawler.Jobs.Running;

/// <summary>
/// One trace (Activity "job &lt;name&gt;") per run, and the metrics ims.jobs.runs, ims.jobs.failures and
/// ims.jobs.duration, each tagged with the job (and the run's status).
/// </summary>
public sealed class JobTelemetry : IDisposable
{
    public const string SourceName = "ImsCrawler.Jobs";

    private readonly ActivitySource activitySource = new(SourceName);
    private readonly Meter meter;
    private readonly Counter<long> runs;
    private readonly Counter<long> failures;
    private readonly Histogram<double> duration;

    public JobTelemetry(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(SourceName);
        runs = meter.CreateCounter<long>("ims.jobs.runs", "{run}", "Job runs by job and status (succeeded, failed, skipped)");
        failures = meter.CreateCounter<long>("ims.jobs.failures", "{run}", "Failed job runs by job");
        duration = meter.CreateHistogram<double>("ims.jobs.duration", "s", "Duration of job runs that did work");
    }

    public Activity? StartRun(JobDefinition job, JobPeriod period, JobTrigger trigger)
    {
        var activity = activitySource.StartActivity($"job {job.Name}", ActivityKind.Internal);
        activity?.SetTag("ims.job", job.Name);
        activity?.SetTag("ims.job.period", period.Key);
        activity?.SetTag("ims.job.trigger", JobRunStore.ToDatabase(trigger));
        return activity;
    }

    public void Record(Activity? activity, JobDefinition job, JobRunStatus status, TimeSpan elapsed, string? error)
    {
        var jobTag = new KeyValuePair<string, object?>("job", job.Name);
        var statusTag = new KeyValuePair<string, object?>("status", JobRunStore.ToDatabase(status));
        runs.Add(1, jobTag, statusTag);
        if (status == JobRunStatus.Failed)
            failures.Add(1, jobTag);
        if (status != JobRunStatus.Skipped)
            duration.Record(elapsed.TotalSeconds, jobTag, statusTag);

        activity?.SetTag("ims.job.status", JobRunStore.ToDatabase(status));
        if (status == JobRunStatus.Failed)
            activity?.SetStatus(ActivityStatusCode.Error, error);
    }

    public void Dispose()
    {
        activitySource.Dispose();
        meter.Dispose();
    }
}
