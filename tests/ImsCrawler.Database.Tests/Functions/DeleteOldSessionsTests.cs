using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Functions;

/// <summary>Defect 9: the original reported issues and attachments as deleted that were only unlinked.</summary>
public sealed class DeleteOldSessionsTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private async Task<(int User, long OldSession, long NewSession, long Issue)> UserWithOldAndNewSessionsAsync()
    {
        var user = await db.UserAsync();
        var oldSession = await db.SessionAsync(user, startedAt: DateTimeOffset.UtcNow.AddDays(-120));
        var newSession = await db.SessionAsync(user, startedAt: DateTimeOffset.UtcNow.AddDays(-10));
        var issue = await db.IssueAsync();
        await db.LinkAsync(oldSession, issue);
        await db.LinkAsync(newSession, issue);
        await db.ExecuteAsync(
            """
            INSERT INTO ims.attachments (issue_pk, session_id, filename) VALUES (@issue, @oldSession, 'old-1.log'), (@issue, @oldSession, 'old-2.log'), (@issue, @newSession, 'new.log');
            INSERT INTO ims.session_errors (session_id, severity) VALUES (@oldSession, 'error');
            """, new { issue, oldSession, newSession });
        return (user, oldSession, newSession, issue);
    }

    [Fact]
    public async Task Reports_exactly_what_disappeared()
    {
        var (user, oldSession, newSession, issue) = await UserWithOldAndNewSessionsAsync();

        var report = await db.QuerySingleAsync<(int Sessions, int Issues, int Attachments)>(
            "SELECT * FROM ims.delete_old_sessions(@user, 90)", new { user });

        var left = await db.QuerySingleAsync<(long Sessions, long Attachments, long Errors, long Issues)>(
            """
            SELECT (SELECT count(*) FROM ims.crawl_sessions WHERE user_id = @user),
                   (SELECT count(*) FROM ims.attachments WHERE issue_pk = @issue),
                   (SELECT count(*) FROM ims.session_errors WHERE session_id = @oldSession),
                   (SELECT count(*) FROM ims.issues WHERE issue_pk = @issue)
            """, new { user, issue, oldSession });
        Assert.Equal((1, 0, 2), report);
        Assert.Equal((1L, 1L, 0L, 1L), left);
        Assert.True(newSession > 0);
    }

    [Fact]
    public async Task The_user_it_belongs_to_can_call_it_and_nobody_else_is_touched()
    {
        var (user, _, _, _) = await UserWithOldAndNewSessionsAsync();
        var (other, _, _, _) = await UserWithOldAndNewSessionsAsync();

        var own = await db.AsRoleAsync(Roles.User, user,
            c => c.QuerySingleAsync<(int, int, int)>("SELECT * FROM ims.delete_old_sessions(@user, 90)", new { user }));
        var foreign = await db.AsRoleAsync(Roles.User, user,
            c => c.QuerySingleAsync<(int, int, int)>("SELECT * FROM ims.delete_old_sessions(@other, 90)", new { other }));

        Assert.Equal((1, 0, 2), own);
        Assert.Equal((0, 0, 0), foreign);
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM ims.crawl_sessions WHERE user_id = @other", new { other }));
    }

    [Fact]
    public async Task A_negative_age_is_rejected()
    {
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(
            () => db.ExecuteAsync("SELECT * FROM ims.delete_old_sessions(1, -1)"));

        Assert.Contains("must be 0 or more", error.MessageText);
    }
}
