using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Schema;

public sealed class SeedDataTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private const string Fingerprint =
        """
        SELECT (SELECT count(*) FROM ims.users) || '/' || (SELECT count(*) FROM ims.crawl_sessions) || '/' ||
               (SELECT count(*) FROM ims.issues) || '/' || (SELECT count(*) FROM ims.session_issues) || '/' ||
               (SELECT count(*) FROM ims.issue_comments) || '/' || (SELECT count(*) FROM ims.issue_history) || '/' ||
               (SELECT count(*) FROM ims.search_queries) || '/' || (SELECT count(*) FROM ims.audit_log) || '/' ||
               (SELECT count(*) FROM ims.analytics_daily) || '/' || (SELECT count(*) FROM ims.analytics_monthly) || '/' ||
               (SELECT string_agg(xmin::text, ',' ORDER BY user_id) FROM ims.users)
        """;

    [Fact]
    public async Task Seed_has_the_three_users_with_their_roles_and_the_sample_crawl()
    {
        var users = await db.QueryAsync<(string Name, string Role)>("SELECT username, role FROM ims.users ORDER BY user_id");
        var sample = await db.QuerySingleAsync<(string Owner, string Status, long Links, string IssueId)>(
            """
            SELECT u.username, s.status, (SELECT count(*) FROM ims.session_issues si WHERE si.session_id = s.session_id),
                   (SELECT i.issue_id FROM ims.session_issues si JOIN ims.issues i USING (issue_pk) WHERE si.session_id = s.session_id)
            FROM ims.crawl_sessions s JOIN ims.users u USING (user_id) WHERE s.session_uuid = 'sample-session-0001'
            """);

        Assert.Equal([("admin", "admin"), ("yijae.shin", "user"), ("analyst", "readonly")], users);
        Assert.Equal(("yijae.shin", "completed", 1L, "SAMPLE-001"), sample);
    }

    [Fact]
    public async Task Re_running_07_changes_nothing()
    {
        var before = await db.ScalarAsync<string>(Fingerprint);

        await db.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(RepositoryScripts.Directory, "07_initial_data.sql")));

        Assert.Equal(before, await db.ScalarAsync<string>(Fingerprint));
    }
}
