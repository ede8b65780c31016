using ImsCrawler.Jobs.Tests.Infrastructure;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ImsCrawler.Jobs.Tests.Scheduling;

public sealed class CatchUpTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly Dictionary<string, string?> DailyOnly = new() { ["Jobs:DailyAggregation:Enabled"] = "true" };

    [Fact]
    public async Task On_start_it_runs_exactly_the_days_missed_since_the_last_success_then_the_next_on_schedule()
    {
        await TestData.ExecuteAsync(database, "delete from ims.job_runs");
        var userId = await TestData.CreateUserAsync(database);
        for (var back = 1; back <= 5; back++)
            await TestData.CreateSessionAsync(database, userId, TestData.Now.AddDays(-back));
        await RecordSuccessAsync(TestData.Today.AddDays(-4));

        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now), DailyOnly);

        var runs = await TestData.EventuallyAsync(() => RunRow.ForJobAsync(database, JobNames.DailyAggregation),
            rows => rows.Count(row => row.Status == "succeeded") == 4, "three catch-up runs");
        Assert.Equal([Day(-3), Day(-2), Day(-1)], runs.Skip(1).Select(row => row.PeriodKey));
        Assert.All(runs.Skip(1), row => Assert.Equal("catch-up", row.Trigger));
        Assert.Equal(1, await TestData.ScalarAsync<long>(database,
            "select count(*) from ims.analytics_daily where user_id = @userId and stat_date = @day::date", new { userId, day = Day(-1) }));
        Assert.Equal(0, await TestData.ScalarAsync<long>(database,
            "select count(*) from ims.analytics_daily where user_id = @userId and stat_date = @day::date", new { userId, day = Day(-5) }));

        // Next occurrence: 02:00 tomorrow aggregates today, on the schedule.
        var next = await TestData.ScalarAsync<DateTime>(database,
            "select next_run_at from ims.job_schedules where job_name = 'daily-aggregation'");
        Assert.Equal(new DateTime(2024, 3, 15, 2, 0, 0, DateTimeKind.Utc), next.ToUniversalTime());
        jobs.Time.Advance(TimeSpan.FromHours(16));
        var scheduled = await TestData.EventuallyAsync(() => RunRow.ForJobAsync(database, JobNames.DailyAggregation),
            rows => rows.Any(row => row.PeriodKey == Day(0) && row.Status == "succeeded"), "the scheduled run of today");
        Assert.Equal("schedule", scheduled.Single(row => row.PeriodKey == Day(0)).Trigger);
    }

    [Fact]
    public async Task With_no_history_it_starts_at_the_first_day_with_sessions_within_the_window()
    {
        await TestData.ExecuteAsync(database, "delete from ims.job_runs");
        var userId = await TestData.CreateUserAsync(database);
        await TestData.CreateSessionAsync(database, userId, TestData.Now.AddDays(-40));   // outside the 31-day window
        await TestData.CreateSessionAsync(database, userId, TestData.Now.AddDays(-6));

        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));
        var planner = (ImsCrawler.Jobs.Scheduling.CatchUpPlanner)jobs.Services.GetService(typeof(ImsCrawler.Jobs.Scheduling.CatchUpPlanner))!;

        var missed = await planner.MissedPeriodsAsync(JobDefinitions.DailyAggregation, TestData.Now, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 6).Reverse().Select(back => Day(-back)), missed.Select(period => period.Key));
        var months = await planner.MissedPeriodsAsync(JobDefinitions.MonthlyAggregation, TestData.Now, CancellationToken.None);
        Assert.Equal(["2024-02"], months.Select(period => period.Key));
    }

    private static string Day(int offset) => TestData.Today.AddDays(offset).ToString(PeriodKeys.DayFormat, System.Globalization.CultureInfo.InvariantCulture);

    private Task RecordSuccessAsync(DateOnly day) => TestData.ExecuteAsync(database, """
        insert into ims.job_runs (job_name, period_key, trigger, status, started_at, finished_at)
        values ('daily-aggregation', @day, 'schedule', 'succeeded', now(), now())
        """, new { day = day.ToString(PeriodKeys.DayFormat, System.Globalization.CultureInfo.InvariantCulture) });
}
