using System.Net;
using System.Net.Http.Json;
using ImsCrawler.Api.Backups;
using ImsCrawler.Api.Jobs;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Shared.Jobs;

namespace ImsCrawler.Api.Tests.Jobs;

/// <summary>The admin jobs endpoints over what the Jobs service publishes (rows written here as it would).</summary>
public sealed class JobsApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<HttpClient> AdminAsync() => api.CreateClient(await api.CreateUserAsync("admin"));

    private Task PublishAsync(string job, string kind, string zone = "Asia/Seoul") => api.ScalarAsync<int>("""
        insert into ims.job_schedules (job_name, description, schedule, time_zone, period_kind, enabled, next_run_at)
        values (@job, 'test job', '0 2 * * *', @zone, @kind, true, '2024-03-14T17:00:00Z')
        on conflict (job_name) do nothing
        returning 1
        """, new { job, kind, zone });

    private Task<long> RecordRunAsync(string job, string period, string status = "succeeded") => api.ScalarAsync<long>("""
        insert into ims.job_runs (job_name, period_key, trigger, status, finished_at, rows_affected, error)
        values (@job, @period, 'manual', @status, now(), 3, case when @status = 'failed' then 'boom' end)
        returning run_id
        """, new { job, period, status });

    [Fact]
    public async Task Jobs_show_their_schedule_next_run_in_the_jobs_time_zone_and_latest_runs()
    {
        await PublishAsync("daily-aggregation", "day");
        var failed = await RecordRunAsync("daily-aggregation", "2024-03-12", "failed");
        var succeeded = await RecordRunAsync("daily-aggregation", "2024-03-13");
        using var admin = await AdminAsync();

        var jobs = await (await admin.GetAsync("/api/jobs")).ReadAsync<List<JobResponse>>();

        var daily = Assert.Single(jobs, job => job.Name == "daily-aggregation");
        Assert.Equal(("0 2 * * *", "Asia/Seoul", "day"), (daily.Schedule, daily.TimeZone, daily.PeriodKind));
        Assert.Equal(new DateTimeOffset(2024, 3, 15, 2, 0, 0, TimeSpan.FromHours(9)), daily.NextRunAt);
        Assert.Equal(TimeSpan.FromHours(9), daily.NextRunAt!.Value.Offset);
        Assert.Equal([succeeded, failed], daily.LastRuns.Take(2).Select(run => run.RunId));
        Assert.Equal(("failed", "boom"), (daily.LastRuns[1].Status, daily.LastRuns[1].Error));
    }

    [Fact]
    public async Task Only_admins_see_or_run_jobs()
    {
        using var user = api.CreateClient(await api.CreateUserAsync("user"));

        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsync("/api/jobs/retention/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/backups")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task Runs_page_newest_first_by_run_id()
    {
        await PublishAsync("refresh-views", "occurrence");
        var ids = new List<long>();
        for (var minute = 0; minute < 3; minute++)
            ids.Add(await RecordRunAsync("refresh-views", $"2024-03-14T03:0{minute}"));
        using var admin = await AdminAsync();

        var first = await (await admin.GetAsync("/api/jobs/refresh-views/runs?limit=2")).ReadAsync<Page<JobRunResponse>>();
        var second = await (await admin.GetAsync($"/api/jobs/refresh-views/runs?limit=2&cursor={first.NextCursor}")).ReadAsync<Page<JobRunResponse>>();

        Assert.Equal([ids[2], ids[1]], first.Items.Select(run => run.RunId));
        Assert.Equal([ids[0]], second.Items.Select(run => run.RunId));
        Assert.Null(second.NextCursor);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/jobs/no-such-job/runs")).StatusCode);
        await (await admin.GetAsync("/api/jobs/refresh-views/runs?limit=0")).AssertValidationProblemAsync("limit");
    }

    [Fact]
    public async Task Run_now_inserts_a_request_and_answers_202_with_its_id()
    {
        await PublishAsync("daily-aggregation", "day");
        await PublishAsync("retention", "occurrence");
        using var admin = await AdminAsync();

        var accepted = await (await admin.PostJsonAsync("/api/jobs/daily-aggregation/run", new { date = "2024-03-14" }))
            .ReadAsync<JobRequestAccepted>(HttpStatusCode.Accepted);
        var withoutBody = await (await admin.PostAsync("/api/jobs/retention/run", null)).ReadAsync<JobRequestAccepted>(HttpStatusCode.Accepted);

        var request = Assert.Single(await api.QueryAsync<(string, string?, string)>(
            "select job_name, period_key, requested_by from ims.job_requests where request_id = @RequestId", accepted));
        Assert.Equal("daily-aggregation", request.Item1);
        Assert.Equal("2024-03-14", request.Item2);
        Assert.StartsWith("api:admin-", request.Item3);
        Assert.Null(withoutBody.Period);
        Assert.Equal(1, await api.ScalarAsync<long>(
            "select count(*) from ims.audit_log where action = 'job.requested' and resource_id = 'daily-aggregation'"));
    }

    [Fact]
    public async Task Run_now_refuses_unknown_jobs_and_periods_that_do_not_fit()
    {
        await PublishAsync("daily-aggregation", "day");
        await PublishAsync("monthly-aggregation", "month");
        await PublishAsync("vacuum", "occurrence");
        using var admin = await AdminAsync();
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostJsonAsync("/api/jobs/no-such-job/run", new { })).StatusCode);
        await (await admin.PostJsonAsync("/api/jobs/daily-aggregation/run", new { date = "14.03.2024" })).AssertValidationProblemAsync("date");
        await (await admin.PostJsonAsync("/api/jobs/daily-aggregation/run", new { date = tomorrow })).AssertValidationProblemAsync("date");
        await (await admin.PostJsonAsync("/api/jobs/daily-aggregation/run", new { month = "2024-02" })).AssertValidationProblemAsync("month");
        await (await admin.PostJsonAsync("/api/jobs/monthly-aggregation/run", new { month = "2024-13" })).AssertValidationProblemAsync("month");
        await (await admin.PostJsonAsync("/api/jobs/vacuum/run", new { date = "2024-03-01" })).AssertValidationProblemAsync("date");
        Assert.Equal(0, await api.ScalarAsync<long>("select count(*) from ims.job_requests where requested_by like 'api:%' and job_name <> 'daily-aggregation' and job_name <> 'retention'"));
    }

    [Fact]
    public async Task Backups_lists_the_files_retention_has_not_removed()
    {
        await api.ScalarAsync<int>("""
            insert into ims.job_backups (file_name, directory, size_bytes, created_at, server_version, removed_at) values
                ('ims_crawler_20240313T010000Z.backup', '/b', 100, '2024-03-13T01:00:00Z', '15.14', now()),
                ('ims_crawler_20240314T010000Z.backup', '/b', 200, '2024-03-14T01:00:00Z', '15.14', null)
            returning 1
            """);
        using var admin = await AdminAsync();

        var backups = await (await admin.GetAsync("/api/backups")).ReadAsync<List<BackupResponse>>();

        var backup = Assert.Single(backups);
        Assert.Equal(("ims_crawler_20240314T010000Z.backup", 200L), (backup.Name, backup.SizeBytes));
        Assert.Equal(new DateTimeOffset(2024, 3, 14, 1, 0, 0, TimeSpan.Zero), backup.CreatedAt);
    }
}
