namespace ImsCrawler.Jobs.Running;

/// <summary>A job's work is retried on transient database faults (the services' shared policy, slower backoff).</summary>
public static class JobResilience
{
    public const string PipelineName = "ims-jobs";

    public static IServiceCollection AddJobResilience(this IServiceCollection services) =>
        services.AddDatabaseRetryPipeline(PipelineName, TimeSpan.FromSeconds(1), typeof(JobRunner));
}
