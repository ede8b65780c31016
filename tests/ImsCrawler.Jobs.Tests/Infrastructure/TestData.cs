using Dapper;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Jobs.Tests.Infrastructure;

/// <summary>Rows for the tests, written as the owner (superuser), and polling helpers.</summary>
public static class TestData
{
    /// <summary>Thursday 14 March 2024, 10:00 UTC: "now" of the tests that fake the clock.</summary>
    public static readonly DateTimeOffset Now = new(2024, 3, 14, 10, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    public static async Task<int> CreateUserAsync(DatabaseFixture database, string? preferencesJson = null, bool active = true)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("""
            insert into ims.users (username, preferences, is_active)
            values (@username, coalesce(@preferencesJson::jsonb, '{}'::jsonb), @active)
            returning user_id
            """, new { username = $"jobs-{Guid.NewGuid():N}"[..20], preferencesJson, active });
    }

    public static async Task<long> CreateSessionAsync(DatabaseFixture database, int userId, DateTimeOffset startedAt)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            insert into ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query, status,
                                            started_at, issues_crawled)
            values (@uuid, @userId, 'OpenFrame', 'TPETIME timeout', 'TPETIME timeout', 'completed', @startedAt, 3)
            returning session_id
            """, new { uuid = Guid.NewGuid().ToString(), userId, startedAt = startedAt.UtcDateTime });
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(DatabaseFixture database, string sql, object? args = null)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, args)).AsList();
    }

    public static async Task<T> ScalarAsync<T>(DatabaseFixture database, string sql, object? args = null)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public static async Task ExecuteAsync(DatabaseFixture database, string sql, object? args = null)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(sql, args);
    }

    /// <summary>Polls <paramref name="probe"/> until it holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> holds, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var value = await probe();
            if (holds(value))
                return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out waiting for {what}; last value: {Describe(value)}");
            await Task.Delay(50);
        }
    }

    private static string Describe<T>(T value) =>
        value is System.Collections.IEnumerable items and not string ? string.Join(", ", items.Cast<object?>()) : $"{value}";
}

/// <summary>A job_runs row as the tests read it.</summary>
public sealed record RunRow(long RunId, string JobName, string PeriodKey, string Trigger, string Status, long? RowsAffected,
    string? Error, long? RequestId)
{
    public const string Columns =
        "run_id as RunId, job_name as JobName, period_key as PeriodKey, trigger as Trigger, status as Status, " +
        "rows_affected as RowsAffected, error as Error, request_id as RequestId";

    public override string ToString() => $"#{RunId} {JobName} {PeriodKey} {Trigger} {Status} {Error}";

    public static Task<IReadOnlyList<RunRow>> ForJobAsync(DatabaseFixture database, string job) =>
        TestData.QueryAsync<RunRow>(database, $"select {Columns} from ims.job_runs where job_name = @job order by run_id", new { job });
}
