using Npgsql;
using Polly;
using Polly.Retry;

namespace ImsCrawler.Api.Data;

/// <summary>
/// Retries transient database faults (connection loss, server starting or shutting down,
/// serialization failures, deadlocks) a few times with jittered backoff, logging each retry.
/// Anything else, and the last failure, is surfaced to the caller.
/// </summary>
public static class DatabaseResilience
{
    public const string PipelineName = "ims-database";

    public static IServiceCollection AddUserDatabase(this IServiceCollection services)
    {
        services.AddResiliencePipeline(PipelineName, (pipeline, context) =>
        {
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UserDatabase));
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(IsTransient),
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception,
                        "Transient database fault, retry {Attempt} in {Delay}", args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        });
        services.AddSingleton<UserDatabase>();
        return services;
    }

    public static bool IsTransient(NpgsqlException exception) =>
        exception.IsTransient
        || exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };
}
