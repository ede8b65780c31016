using Dapper;
using ImsCrawler.Api.Identity;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Web.Tests.Infrastructure;

/// <summary>A user made for the tests, with a working API key.</summary>
public sealed record SeedUser(int UserId, string Username, string Role, string Key);

/// <summary>
/// What the browser tests find in the database, written as the owner before the Api starts (the search documents
/// are built by the schema's triggers). Each flow that changes data has a user of its own, so the tests do not
/// depend on their order.
/// </summary>
public sealed class SeedData
{
    public const string KoreanIssue = "WEB-KO-1";
    public const string ScriptIssue = "WEB-XSS-1";
    public const string ScriptTitle = "<script>window.imsXss = 1</script><img src=x onerror=\"window.imsXss = 2\"> zqxss 스크립트";
    public const string PagingWord = "zqpage";
    public const int PagingIssues = 25;

    /// <summary>Modified 2024-03-14 23:30 UTC: 2024-03-15 08:30 in Seoul.</summary>
    public static readonly DateTime KoreanIssueModified = new(2024, 3, 14, 23, 30, 0, DateTimeKind.Utc);

    public SeedUser Admin { get; private set; } = null!;
    public SeedUser Alice { get; private set; } = null!;
    public SeedUser Reader { get; private set; } = null!;
    public SeedUser Bob { get; private set; } = null!;
    public SeedUser Carol { get; private set; } = null!;

    /// <summary>Alice's sessions fall on this many distinct days of the last 30.</summary>
    public int AliceSessionDays => 3;

    public string AliceSession { get; private set; } = "";

    public static async Task<SeedData> CreateAsync(DatabaseFixture database)
    {
        var seed = new SeedData();
        await using var connection = await database.OpenAsync();
        seed.Admin = await UserAsync(connection, "web-admin", "admin", "Web Admin");
        seed.Alice = await UserAsync(connection, "alice", "user", "앨리스 Kim");
        seed.Reader = await UserAsync(connection, "reader", "readonly", "Read Only");
        seed.Bob = await UserAsync(connection, "bob", "user", "Bob");
        seed.Carol = await UserAsync(connection, "carol", "user", "Carol");

        var korean = await IssueAsync(connection, KoreanIssue, "배치 작업 타임아웃 발생",
            "OpenFrame Batch에서 TPETIME 타임아웃이 반복됩니다.\n로그 첨부합니다.", "OpenFrame Batch", KoreanIssueModified);
        await connection.ExecuteAsync("""
            insert into ims.issue_comments (issue_pk, comment_number, author, content, commented_at) values
              (@korean, 1, '김지원', '로그를 확인해 주세요.', '2024-03-12 01:00:00+00'),
              (@korean, 2, 'engineer', 'TPETIME 값을 늘려 해결했습니다.', '2024-03-14 23:30:00+00');
            insert into ims.attachments (issue_pk, filename, file_type, file_size, extracted_text, text_extracted, downloaded)
            values (@korean, 'batch.log', 'text/plain', 2048, 'ERROR TPETIME batch step 3', true, true);
            """, new { korean });
        await IssueAsync(connection, ScriptIssue, ScriptTitle, "<b>bold?</b> <iframe src=\"https://example.com\"></iframe>",
            "Tibero", DateTime.UtcNow.AddDays(-2));
        for (var n = 1; n <= PagingIssues; n++)
            await IssueAsync(connection, $"WEB-PAGE-{n:00}", $"{PagingWord} paging issue {n}", "Paging test.", "JEUS",
                DateTime.UtcNow.AddHours(-n));

        // Alice: four sessions on three distinct days of the last 30 (one of them crawled the Korean issue).
        var days = new[] { 1, 5, 5, 10 };
        foreach (var day in days)
        {
            var uuid = await SessionAsync(connection, seed.Alice.UserId, $"now() - interval '{day} days'");
            if (seed.AliceSession.Length == 0)
            {
                seed.AliceSession = uuid;
                await connection.ExecuteAsync("""
                    insert into ims.session_issues (session_id, issue_pk, crawl_order)
                    select session_id, @korean, 1 from ims.crawl_sessions where session_uuid = @uuid
                    """, new { korean, uuid });
            }
        }
        // Bob: one recent session and one from 400 days ago (for retention).
        await SessionAsync(connection, seed.Bob.UserId, "now() - interval '2 days'");
        await SessionAsync(connection, seed.Bob.UserId, "now() - interval '400 days'");
        return seed;
    }

    private static async Task<SeedUser> UserAsync(Npgsql.NpgsqlConnection connection, string username, string role, string fullName)
    {
        var key = ApiKeys.Generate();
        var userId = await connection.ExecuteScalarAsync<int>("""
            with u as (insert into ims.users (username, role, full_name) values (@username, @role, @fullName) returning user_id)
            insert into ims.api_keys (user_id, name, key_prefix, key_hash)
            select user_id, 'browser tests', @prefix, @hash from u
            returning user_id
            """, new { username, role, fullName, prefix = ApiKeys.Prefix(key), hash = ApiKeys.Hash(key) });
        return new SeedUser(userId, username, role, key);
    }

    private static Task<long> IssueAsync(Npgsql.NpgsqlConnection connection, string issueId, string title, string description,
        string product, DateTime modified) =>
        connection.ExecuteScalarAsync<long>("""
            insert into ims.issues (issue_id, title, description, product, status, priority, modified_date, registered_date, reporter)
            values (@issueId, @title, @description, @product, 'Closed', 'High', @modified, @modified - interval '3 days', 'reporter')
            returning issue_pk
            """, new { issueId, title, description, product, modified });

    private static Task<string> SessionAsync(Npgsql.NpgsqlConnection connection, int userId, string startedAt) =>
        connection.ExecuteScalarAsync<string>($"""
            insert into ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query, status, started_at,
                completed_at, duration_seconds, issues_crawled, total_issues_found)
            values (gen_random_uuid()::text, @userId, 'OpenFrame', '배치 타임아웃', 'batch timeout', 'completed', {startedAt},
                {startedAt} + interval '2 minutes', 120, 1, 1)
            returning session_uuid
            """, new { userId })!;
}
