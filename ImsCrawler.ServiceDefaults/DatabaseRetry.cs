using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The services' one retry policy for transient database faults (connection loss, server starting
/// or shutting down, serialization failures, deadlocks): a few attempts with jittered exponential
/// backoff, each retry logged, the last failure surfaced to the caller. Anything else fails at once.
/// </summary>
public static class DatabaseRetry
{
    public static IServiceCollection AddDatabaseRetryPipeline(this IServiceCollection services,
        string pipelineName, TimeSpan firstDelay, Type logCategory)
    {
        services.AddResiliencePipeline(pipelineName, (pipeline, context) =>
        {
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(logCategory);
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(IsTransient),
                MaxRetryAttempts = 3,
                Delay = firstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception,
                        "Transient database fault ({Pipeline}), retry {Attempt} in {Delay}",
                        pipelineName, args.AttemptNumber + 1, args.RetryDelay);
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
