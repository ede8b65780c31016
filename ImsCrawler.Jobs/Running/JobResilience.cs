using Npgsql;
using Polly;
using Polly.Retry;

namespace ImsCrawler.Jobs.Running;

/// <summary>
/// Retries a job's work on transient database faults (connection loss, server restarting, serialization
/// failures, deadlocks) with jittered exponential backoff; each retry is logged, the last failure surfaces.
/// </summary>
public static class JobResilience
{
    public const string PipelineName = "ims-jobs";

    public static IServiceCollection AddJobResilience(this IServiceCollection services)
    {
        services.AddResiliencePipeline(PipelineName, (pipeline, context) =>
        {
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JobRunner));
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(IsTransient),
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception,
                        "Transient database fault in a job, retry {Attempt} in {Delay}", args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        });
        return services;
    }

    public static bool IsTransient(NpgsqlException exception) =>
        exception.IsTransient
        || exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };
}
