using ImsCrawler.Jobs.Tests.Infrastructure;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ImsCrawler.Jobs.Tests.Requests;

/// <summary>Run-now requests: a row in ims.job_requests (its trigger NOTIFYs ims_jobs) runs the job in a listening instance.</summary>
public sealed class JobRequestTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_request_row_is_picked_up_by_notification_and_run_as_a_manual_run()
    {
        // The poll interval is 5 minutes: only the notification can make this fast.
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));
        var userId = await TestData.CreateUserAsync(database);
        await TestData.CreateSessionAsync(database, userId, TestData.Now.AddDays(-2));

        var requestId = await RequestAsync(JobNames.DailyAggregation, "2024-03-12");
        var defaultRequestId = await RequestAsync(JobNames.MonthlyAggregation, null);

        var run = await RunOfAsync(requestId);
        Assert.Equal(("2024-03-12", "manual", "succeeded", 1L), (run.PeriodKey, run.Trigger, run.Status, run.RowsAffected));
        var monthly = await RunOfAsync(defaultRequestId);
        Assert.Equal(("2024-02", "succeeded"), (monthly.PeriodKey, monthly.Status));
        Assert.NotNull(await TestData.ScalarAsync<DateTime?>(database,
            "select picked_at from ims.job_requests where request_id = @requestId", new { requestId }));
    }

    [Fact]
    public async Task A_hand_written_request_with_a_bad_period_is_recorded_as_failed()
    {
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(TestData.Now));

        var requestId = await RequestAsync(JobNames.DailyAggregation, "2024-03");

        var run = await RunOfAsync(requestId);
        Assert.Equal(("failed", "'2024-03' is not a day written yyyy-MM-dd, e.g. 2024-03-14."), (run.Status, run.Error));
    }

    private Task<long> RequestAsync(string job, string? period) => TestData.ScalarAsync<long>(database, """
        insert into ims.job_requests (job_name, period_key, requested_by) values (@job, @period, 'test') returning request_id
        """, new { job, period });

    private async Task<RunRow> RunOfAsync(long requestId)
    {
        var runs = await TestData.EventuallyAsync(
            () => TestData.QueryAsync<RunRow>(database,
                $"select {RunRow.Columns} from ims.job_runs where request_id = @requestId and status <> 'running'", new { requestId }),
            rows => rows.Count == 1, $"the run of request {requestId}", timeoutSeconds: 20);
        return runs[0];
    }
}
