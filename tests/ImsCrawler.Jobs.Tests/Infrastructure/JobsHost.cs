using ImsCrawler.Jobs;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Scheduling;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ImsCrawler.Jobs.Tests.Infrastructure;

/// <summary>
/// The Jobs service's runner, scheduler and request listener in-process (a generic host built with
/// <c>AddImsDatabase</c> + <c>AddImsJobs</c>, as Program.cs does) on a test database, with a fake clock,
/// logged in as ims_jobs_login (sql/17) with the owner's connection for VACUUM, as the AppHost runs it.
/// Every job's schedule is disabled unless the test's settings enable it.
/// </summary>
public sealed class JobsHost : IAsyncDisposable
{
    private readonly IHost host;

    private JobsHost(IHost host, FakeTimeProvider time)
    {
        this.host = host;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => host.Services;

    public JobRunner Runner => Services.GetRequiredService<JobRunner>();

    public IJob Job(string name) => Services.GetRequiredService<JobCatalog>().Get(name);

    public JobsOptions Options => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value;

    /// <summary>Runs one period of a job right now, as the scheduler or a request would.</summary>
    public Task<JobRunResult> RunAsync(string job, JobPeriod period, JobTrigger trigger = JobTrigger.Manual) =>
        Runner.RunAsync(Job(job), period, trigger, null, CancellationToken.None);

    /// <param name="connectionString">The service's login (the jobs login in every test but those about logins).</param>
    /// <param name="maintenanceConnectionString">The owner's, for VACUUM (ConnectionStrings:imsdb-maintenance).</param>
    public static IHost Build(string connectionString, FakeTimeProvider time, IReadOnlyDictionary<string, string?>? settings = null,
        string? maintenanceConnectionString = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(DefaultSettings(connectionString));
        if (maintenanceConnectionString is not null)
            builder.Configuration["ConnectionStrings:imsdb-maintenance"] = maintenanceConnectionString;
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddImsDatabase();
        builder.AddImsJobs();
        return builder.Build();
    }

    public static async Task<JobsHost> StartAsync(DatabaseFixture database, FakeTimeProvider time,
        IReadOnlyDictionary<string, string?>? settings = null, string? connectionString = null)
    {
        var host = Build(connectionString ?? database.JobsConnectionString, time, settings, database.ConnectionString);
        await host.StartAsync();
        return new JobsHost(host, time);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(TimeSpan.FromSeconds(10));
        host.Dispose();
    }

    private static Dictionary<string, string?> DefaultSettings(string connectionString)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:imsdb"] = connectionString,
            ["Jobs:RequestPollInterval"] = "00:05:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var job in JobDefinitions.All)
            settings[$"Jobs:{job.Section}:Enabled"] = "false";
        return settings;
    }
}
