using ImsCrawler.Shared.Database;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The services' one retry policy for transient database faults (connection lost or refused, the server starting,
/// shutting down or restarting, serialization failures, deadlocks, the pool exhausted): retried with jittered
/// exponential backoff (first delay doubling up to <see cref="MaxDelay"/>) for as long as the retry budget lasts,
/// counted from the first failure (setting <see cref="BudgetSetting"/>, default <see cref="DefaultBudget"/>: long
/// enough for PostgreSQL to restart). Each retry is logged; the last failure is surfaced to the caller. A lost
/// connection also empties the data source's pool of idle connections, which died with the server, so a retry does
/// not pick up one of them. Anything else fails at once.
/// </summary>
public static class DatabaseRetry
{
    public const string BudgetSetting = "Database:RetryBudget";
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private static readonly ResiliencePropertyKey<long> FirstFailure = new("ims.database.first-failure");

    public static IServiceCollection AddDatabaseRetryPipeline(this IServiceCollection services,
        string pipelineName, TimeSpan firstDelay, Type logCategory)
    {
        services.AddResiliencePipeline(pipelineName, (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(logCategory);
            var budget = provider.GetService<IConfiguration>()?.GetValue<TimeSpan?>(BudgetSetting) ?? DefaultBudget;
            // A database restarts in real time: the delays and the budget run on the wall clock even where the service's
            // own TimeProvider is another (the Jobs tests' fake clock would otherwise hold a retry forever).
            pipeline.TimeProvider = TimeProvider.System;
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is NpgsqlException exception && IsTransient(exception) && WithinBudget(args.Context, budget)),
                MaxRetryAttempts = int.MaxValue,
                Delay = firstDelay,
                MaxDelay = MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    if (IsConnectionLost(args.Outcome.Exception))
                        provider.GetService<NpgsqlDataSource>()?.Clear();
                    logger.LogWarning(args.Outcome.Exception,
                        "Transient database fault ({Pipeline}), retry {Attempt} in {Delay} (budget {Budget})",
                        pipelineName, args.AttemptNumber + 1, args.RetryDelay, budget);
                    return ValueTask.CompletedTask;
                },
            });
        });
        return services;
    }

    public static bool IsTransient(NpgsqlException exception) => TransientFaults.IsTransient(exception);

    /// <summary>The connection (and so every idle one of its pool) is gone: the server went away or is restarting.</summary>
    public static bool IsConnectionLost(Exception? exception) => TransientFaults.IsConnectionLost(exception);

    private static bool WithinBudget(ResilienceContext context, TimeSpan budget)
    {
        if (!context.Properties.TryGetValue(FirstFailure, out var first))
        {
            context.Properties.Set(FirstFailure, Stopwatch.GetTimestamp());
            return budget > TimeSpan.Zero;
        }
        return Stopwatch.GetElapsedTime(first) < budget;
    }
}
