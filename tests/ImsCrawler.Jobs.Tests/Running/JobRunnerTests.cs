using Dapper;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Tests.Infrastructure;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ImsCrawler.Jobs.Tests.Running;

public sealed class JobRunnerTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Fact]
    public async Task Two_instances_started_together_run_a_period_once_and_the_other_records_a_skip()
    {
        var day = TestData.Today.AddDays(-10);
        var userId = await TestData.CreateUserAsync(database);
        await TestData.CreateSessionAsync(database, userId, TestData.Now.AddDays(-10));
        await using var first = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));
        await using var second = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));
        var period = JobPeriod.ForDay(day, Utc);

        var results = await Task.WhenAll(
            first.Runner.RunAsync(first.Job(JobNames.DailyAggregation), period, JobTrigger.Schedule, null, CancellationToken.None),
            second.Runner.RunAsync(second.Job(JobNames.DailyAggregation), period, JobTrigger.Schedule, null, CancellationToken.None));

        Assert.Equal([JobRunStatus.Succeeded, JobRunStatus.Skipped], results.Select(result => result.Status).Order());
        Assert.StartsWith("skipped: ", results.Single(result => result.Status == JobRunStatus.Skipped).Error);
        var runs = (await RunRow.ForJobAsync(database, JobNames.DailyAggregation)).Where(row => row.PeriodKey == period.Key).ToList();
        Assert.Equal(["skipped", "succeeded"], runs.Select(row => row.Status).Order());
        var writes = await TestData.QueryAsync<string>(database,
            "select xmin::text from ims.analytics_daily where stat_date = @day::date", new { day = period.Key });
        Assert.Single(writes);
    }

    [Fact]
    public async Task A_job_whose_advisory_lock_another_session_holds_is_skipped_as_running_elsewhere()
    {
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));
        await using var other = await database.OpenAsync();
        await other.ExecuteAsync("select pg_advisory_lock(@LockNamespace, @LockKey)",
            new { JobRunner.LockNamespace, JobDefinitions.RefreshViews.LockKey });

        var result = await jobs.RunAsync(JobNames.RefreshViews, JobPeriod.ForOccurrence(TestData.Now, Utc), JobTrigger.Schedule);

        Assert.Equal(JobRunStatus.Skipped, result.Status);
        var row = (await RunRow.ForJobAsync(database, JobNames.RefreshViews)).Single(run => run.RunId == result.RunId);
        Assert.Equal(("skipped", JobRunner.RunningElsewhere), (row.Status, row.Error));
    }

    [Fact]
    public async Task A_failing_run_records_its_error_and_the_next_run_succeeds()
    {
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));
        var period = JobPeriod.ForDay(TestData.Today.AddDays(-20), Utc);
        await TestData.CreateSessionAsync(database, await TestData.CreateUserAsync(database), TestData.Now.AddDays(-20));
        await TestData.ExecuteAsync(database, """
            create function ims.refuse_analytics() returns trigger language plpgsql as
            $$ begin raise exception 'analytics_daily refuses writes for this test'; end $$;
            create trigger refuse_analytics before insert on ims.analytics_daily
                for each row execute function ims.refuse_analytics();
            """);
        JobRunResult failed;
        try
        {
            failed = await jobs.RunAsync(JobNames.DailyAggregation, period, JobTrigger.Schedule);
        }
        finally
        {
            await TestData.ExecuteAsync(database, "drop trigger refuse_analytics on ims.analytics_daily; drop function ims.refuse_analytics()");
        }

        var succeeded = await jobs.RunAsync(JobNames.DailyAggregation, period, JobTrigger.Schedule);

        Assert.Equal(JobRunStatus.Failed, failed.Status);
        var rows = (await RunRow.ForJobAsync(database, JobNames.DailyAggregation)).Where(row => row.PeriodKey == period.Key).ToList();
        Assert.Equal(["failed", "succeeded"], rows.Select(row => row.Status));
        Assert.Equal("P0001: analytics_daily refuses writes for this test", rows[0].Error);
        Assert.Equal(JobRunStatus.Succeeded, succeeded.Status);
        Assert.Null(rows[1].Error);
    }

    [Fact]
    public async Task A_run_that_exceeds_its_timeout_is_cancelled_and_recorded_as_failed()
    {
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now),
            new Dictionary<string, string?> { ["Jobs:DailyAggregation:Timeout"] = "00:00:01" });
        await using var blocker = await database.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("lock table ims.analytics_daily in access exclusive mode", transaction: transaction);

        var result = await jobs.RunAsync(JobNames.DailyAggregation, JobPeriod.ForDay(TestData.Today.AddDays(-25), Utc));

        Assert.Equal(JobRunStatus.Failed, result.Status);
        Assert.StartsWith("timed out after 00:00:01", result.Error);
    }

    [Fact]
    public async Task Re_running_the_aggregation_of_a_day_rewrites_nothing_and_a_scheduled_rerun_is_skipped()
    {
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));
        var userId = await TestData.CreateUserAsync(database);
        await TestData.CreateSessionAsync(database, userId, TestData.Now.AddDays(-12));
        var period = JobPeriod.ForDay(TestData.Today.AddDays(-12), Utc);

        var first = await jobs.RunAsync(JobNames.DailyAggregation, period, JobTrigger.Schedule);
        var before = await VersionsAsync(period);
        var manual = await jobs.RunAsync(JobNames.DailyAggregation, period, JobTrigger.Manual);
        var scheduled = await jobs.RunAsync(JobNames.DailyAggregation, period, JobTrigger.Schedule);

        Assert.Equal((JobRunStatus.Succeeded, 1L), (first.Status, first.RowsAffected));
        Assert.Equal(JobRunStatus.Succeeded, manual.Status);
        Assert.Equal(before, await VersionsAsync(period));
        Assert.Equal(JobRunStatus.Skipped, scheduled.Status);
        Assert.Equal($"skipped: already succeeded in run {first.RunId}", scheduled.Error);
    }

    private Task<IReadOnlyList<string>> VersionsAsync(JobPeriod period) => TestData.QueryAsync<string>(database,
        "select stat_id || ':' || xmin::text from ims.analytics_daily where stat_date = @day::date order by stat_id", new { day = period.Key });
}
