using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImsCrawler.Jobs.Tests.Scheduling;

public sealed class JobsOptionsTests
{
    // Validation runs before any connection is opened: no server is needed.
    private const string UnusedConnection = "Host=127.0.0.1;Port=1;Database=none;Username=none";

    [Fact]
    public async Task A_schedule_that_does_not_parse_stops_start_up_naming_the_job_and_the_key()
    {
        using var host = JobsHost.Build(UnusedConnection, new FakeTimeProvider(TestData.Now),
            new Dictionary<string, string?> { ["Jobs:MonthlyAggregation:Schedule"] = "at 1:30 on the first" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Jobs:MonthlyAggregation:Schedule 'at 1:30 on the first' of job monthly-aggregation is not a valid cron expression", failure.Message);
    }

    [Fact]
    public async Task An_unknown_time_zone_and_a_bad_vacuum_table_stop_start_up()
    {
        using var host = JobsHost.Build(UnusedConnection, new FakeTimeProvider(TestData.Now), new Dictionary<string, string?>
        {
            ["Jobs:TimeZone"] = "Mars/Olympus_Mons",
            ["Jobs:Vacuum:Tables:0"] = "issues; drop table ims.users",
        });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Jobs:TimeZone 'Mars/Olympus_Mons' is not a known time zone", failure.Message);
        Assert.Contains("Jobs:Vacuum:Tables: 'issues; drop table ims.users'", failure.Message);
    }

    [Fact]
    public void The_defaults_are_the_seeds_maintenance_plan()
    {
        var options = new ImsCrawler.Jobs.Model.JobsOptions();

        Assert.Equal(("0 2 * * *", "30 1 1 * *", "0 3 * * *", "0 4 * * 0"),
            (options.DailyAggregation.Schedule, options.MonthlyAggregation.Schedule, options.RefreshViews.Schedule, options.Retention.Schedule));
        Assert.Equal((31, 90, 7), (options.CatchUpDays, options.Retention.DefaultDays, options.Backup.Keep));
    }
}
