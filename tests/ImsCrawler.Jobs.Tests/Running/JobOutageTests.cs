using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Tests.Infrastructure;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ImsCrawler.Jobs.Tests.Running;

/// <summary>
/// A run cut off by a database outage never stays 'running': it ends failed (recorded at once if the database is back
/// within the retry budget, else by the next run of the job, which alone can hold its lock), and the catch-up runs its
/// period again. On a cluster of this class's own, killed (immediate shutdown) mid-run.
/// </summary>
public sealed class JobOutageTests(RestartableDatabaseFixture fixture) : IClassFixture<RestartableDatabaseFixture>
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly Dictionary<string, string?> ShortBudget = new() { [DatabaseRetry.BudgetSetting] = "00:00:01" };
    private DatabaseFixture Database => fixture.Database;

    [Fact]
    public async Task A_run_cut_by_a_crash_ends_failed_and_the_catch_up_runs_its_period_again()
    {
        await TestData.ExecuteAsync(Database, "delete from ims.job_runs");
        var userId = await TestData.CreateUserAsync(Database);
        await TestData.CreateSessionAsync(Database, userId, TestData.Now.AddDays(-2));
        var period = JobPeriod.ForDay(TestData.Today.AddDays(-2), Utc);

        await using (var jobs = await JobsHost.StartAsync(Database, new FakeTimeProvider(TestData.Now), ShortBudget))
        {
            // The run waits for a table lock, so the crash finds it in the middle of its work.
            await using var blocker = await Database.OpenAsync();
            await using var blocking = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("lock table ims.analytics_daily in access exclusive mode", transaction: blocking);
            var run = jobs.RunAsync(JobNames.DailyAggregation, period, JobTrigger.Schedule);
            await TestData.EventuallyAsync(() => TestData.ScalarAsync<long>(Database,
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%aggregate_daily_stats%'"),
                waiting => waiting > 0, "the run to wait for the lock");

            await fixture.OutageAsync(TimeSpan.FromSeconds(3), immediate: true);

            var cut = await Record.ExceptionAsync(async () => Assert.Equal(JobRunStatus.Failed, (await run).Status));
            Assert.True(cut is null or Npgsql.NpgsqlException, $"The cut run threw {cut}");
        }

        var settings = new Dictionary<string, string?>(ShortBudget) { ["Jobs:DailyAggregation:Enabled"] = "true" };
        await using var restarted = await JobsHost.StartAsync(Database, new FakeTimeProvider(TestData.Now), settings);
        var runs = await TestData.EventuallyAsync(() => RunRow.ForJobAsync(Database, JobNames.DailyAggregation),
            rows => rows.Any(row => row.PeriodKey == period.Key && row.Status == "succeeded"), "the catch-up of the cut period");

        var ofPeriod = runs.Where(row => row.PeriodKey == period.Key).ToList();
        Assert.Equal(["failed", "succeeded"], ofPeriod.Select(row => row.Status));
        Assert.Equal("catch-up", ofPeriod[1].Trigger);
        Assert.DoesNotContain(runs, row => row.Status == "running");
        Assert.Equal(1, await TestData.ScalarAsync<long>(Database,
            "select count(*) from ims.analytics_daily where user_id = @userId and stat_date = @day::date", new { userId, day = period.Key }));
    }

    [Fact]
    public async Task A_run_left_running_by_a_lost_instance_is_marked_failed_by_the_next_run_of_the_job()
    {
        await TestData.ExecuteAsync(Database, "delete from ims.job_runs where job_name = 'refresh-views'");
        var occurrence = JobPeriod.ForOccurrence(TestData.Now, Utc);
        var orphan = await TestData.ScalarAsync<long>(Database, """
            insert into ims.job_runs (job_name, period_key, trigger, status, instance)
            values ('refresh-views', '2024-03-14T03:00', 'schedule', 'running', 'gone/1') returning run_id
            """);
        await using var jobs = await JobsHost.StartAsync(Database, new FakeTimeProvider(TestData.Now));

        var result = await jobs.RunAsync(JobNames.RefreshViews, occurrence, JobTrigger.Schedule);

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        var rows = await RunRow.ForJobAsync(Database, JobNames.RefreshViews);
        Assert.Equal(("failed", JobRunStore.Interrupted), rows.Where(row => row.RunId == orphan).Select(row => (row.Status, row.Error)).Single());
    }
}
