using ImsCrawler.Jobs.Backups;
using ImsCrawler.Jobs.Definitions;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Requests;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ImsCrawler.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// The scheduled maintenance jobs: options from <c>Jobs</c> (validated at start-up), the jobs, the runner,
    /// the scheduler and the run-now listener, and their trace source and meter. Needs <c>AddImsDatabase</c>.
    /// </summary>
    public static IHostApplicationBuilder AddImsJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().Bind(builder.Configuration.GetSection(JobsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new DatabaseConnectionString(ImsDatabaseConnection.Resolve(builder.Configuration)));
        services.AddSingleton(MaintenanceConnectionString.From(builder.Configuration));

        services.AddSingleton<IJob, DailyAggregationJob>();
        services.AddSingleton<IJob, MonthlyAggregationJob>();
        services.AddSingleton<IJob, RefreshViewsJob>();
        services.AddSingleton<IJob, RetentionJob>();
        services.AddSingleton<IJob, VacuumJob>();
        services.AddSingleton<IJob, BackupJob>();
        services.AddSingleton<JobCatalog>();

        services.AddJobResilience();
        services.AddSingleton<JobTelemetry>();
        services.AddSingleton<JobRunStore>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<CatchUpPlanner>();
        services.AddHostedService<JobScheduler>();
        services.AddHostedService<JobRequestListener>();

        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(JobTelemetry.SourceName));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(JobTelemetry.SourceName));
        return builder;
    }
}
