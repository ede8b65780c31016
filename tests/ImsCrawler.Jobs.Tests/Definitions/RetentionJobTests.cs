using ImsCrawler.Jobs.Model;
using ImsCrawler.Jobs.Running;
using ImsCrawler.Jobs.Tests.Infrastructure;
using ImsCrawler.Shared.Jobs;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ImsCrawler.Jobs.Tests.Definitions;

public sealed class RetentionJobTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Each_active_user_keeps_sessions_for_its_own_retention_days_or_the_default()
    {
        // Retention counts back from the database's clock (delete_old_sessions uses now()).
        var now = DateTimeOffset.UtcNow;
        var tenDays = await UserWithSessionsAsync("""{"retention_days": 10}""");
        var asText = await UserWithSessionsAsync("""{"retention_days": "40"}""");
        var noPreference = await UserWithSessionsAsync(null);
        var notANumber = await UserWithSessionsAsync("""{"retention_days": "forever"}""");
        var zero = await UserWithSessionsAsync("""{"retention_days": 0}""");
        var inactive = await UserWithSessionsAsync("""{"retention_days": 1}""", active: false);
        await using var jobs = await JobsHost.StartAsync(database, new FakeTimeProvider(now), new Dictionary<string, string?>
        {
            ["Jobs:Retention:DefaultDays"] = "60",
            ["Jobs:Retention:UsersPerBatch"] = "2",
        });

        var result = await jobs.RunAsync(JobNames.Retention, JobPeriod.ForOccurrence(now, TimeZoneInfo.Utc));

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal([5], await AgesAsync(tenDays));
        Assert.Equal([5, 30], await AgesAsync(asText));
        Assert.Equal([5, 30], await AgesAsync(noPreference));
        Assert.Equal([5, 30], await AgesAsync(notANumber));
        Assert.Equal([5, 30], await AgesAsync(zero));
        Assert.Equal([5, 30, 120], await AgesAsync(inactive));
        Assert.Equal(2 + 1 + 1 + 1 + 1, result.RowsAffected);
    }

    private async Task<int> UserWithSessionsAsync(string? preferences, bool active = true)
    {
        var userId = await TestData.CreateUserAsync(database, preferences, active);
        foreach (var days in new[] { 5, 30, 120 })
            await TestData.CreateSessionAsync(database, userId, DateTimeOffset.UtcNow.AddDays(-days));
        return userId;
    }

    private async Task<IReadOnlyList<int>> AgesAsync(int userId) => await TestData.QueryAsync<int>(database, """
        select round(extract(epoch from now() - started_at) / 86400)::integer from ims.crawl_sessions
        where user_id = @userId order by started_at desc
        """, new { userId });
}
