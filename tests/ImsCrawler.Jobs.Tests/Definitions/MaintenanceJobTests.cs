using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Tests.Infrastructure;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ImsCrawler.Jobs.Tests.Definitions;

/// <summary>The jobs that need more than the jobs login: VACUUM (the owner, through the maintenance connection) and refresh (a SECURITY DEFINER function).</summary>
public sealed class MaintenanceJobTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static JobPeriod Now => JobPeriod.ForOccurrence(TestData.Now, TimeZoneInfo.Utc);

    [Fact]
    public async Task Vacuum_runs_on_the_owners_maintenance_connection()
    {
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));

        var result = await jobs.RunAsync(JobNames.Vacuum, Now);

        Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
    }

    [Fact]
    public async Task Vacuum_without_the_owner_fails_saying_what_to_configure_instead_of_skipping_every_table()
    {
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now),
            new Dictionary<string, string?> { ["ConnectionStrings:imsdb-maintenance"] = database.JobsConnectionString });

        var result = await jobs.RunAsync(JobNames.Vacuum, Now);

        Assert.Equal(JobRunStatus.Failed, result.Status);
        Assert.Contains("VACUUM needs the tables' owner", result.Error);
        Assert.Contains("ConnectionStrings:imsdb-maintenance", result.Error);
    }

    [Fact]
    public async Task Refreshing_the_materialized_views_works_on_the_jobs_login()
    {
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));

        var result = await jobs.RunAsync(JobNames.RefreshViews, Now);

        Assert.True(result.Status == JobRunStatus.Succeeded, result.Error);
    }
}
