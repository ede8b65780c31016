using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Search;

/// <summary>sql/12: a transaction that writes an issue, its comments and attachments builds its document once.</summary>
public sealed class SearchDocumentMaintenanceTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task An_issue_with_comments_and_attachments_written_in_one_transaction_gets_its_document_built_once_at_commit()
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var issue = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO ims.issues (issue_id, title) VALUES (@id, 'pelican title') RETURNING issue_pk",
            new { id = TestData.Unique("DOC") });
        await connection.ExecuteAsync(
            """
            INSERT INTO ims.issue_comments (issue_pk, comment_number, content) VALUES (@issue, 1, 'walrus comment');
            INSERT INTO ims.attachments (issue_pk, filename, extracted_text) VALUES (@issue, 'a.txt', 'narwhal attachment');
            """, new { issue });
        var beforeCommit = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM ims.issue_search_documents WHERE issue_pk = @issue", new { issue });

        await connection.ExecuteAsync("SET CONSTRAINTS ALL IMMEDIATE");   // runs the commit-time flush now
        var writes = await connection.QuerySingleAsync<(long Inserted, long Updated)>(
            "SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = 'ims.issue_search_documents'::regclass");
        await transaction.CommitAsync();

        Assert.Equal(0, beforeCommit);
        Assert.Equal((1L, 0L), writes);
        Assert.Equal([issue], await db.QueryAsync<long>("SELECT issue_pk FROM ims.search_issues('pelican walrus narwhal')"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ims.issue_search_pending"));
    }

    [Fact]
    public async Task Statements_after_a_flush_in_the_same_transaction_are_flushed_again()
    {
        var issue = await db.IssueAsync(title: "heron title");
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO ims.issue_comments (issue_pk, comment_number, content) VALUES (@issue, 1, 'ibis comment')", new { issue });
        await connection.ExecuteAsync("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED");
        await connection.ExecuteAsync(
            "INSERT INTO ims.attachments (issue_pk, filename, extracted_text) VALUES (@issue, 'b.txt', 'stork attachment')", new { issue });
        await transaction.CommitAsync();

        Assert.Equal([issue], await db.QueryAsync<long>("SELECT issue_pk FROM ims.search_issues('heron ibis stork')"));
    }
}
