using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Search;

/// <summary>
/// sql/16's page and count statements, read from the plans PostgreSQL logs for them (auto_explain of the nested
/// statements): a broad term walks the search rows newest first with the filters on the row and no sequential scan;
/// a selective one reads its GIN index; neither joins ims.issues per match. Its own class (own database) for the
/// 8,000 generated issues with planned term frequencies.
/// </summary>
public sealed class SearchPagePlanTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private async Task<List<string>> PlansAsync(string sql)
    {
        await using var connection = await fixture.OpenAsync();
        var plans = new List<string>();
        connection.Notice += (_, e) => plans.Add(e.Notice.MessageText);
        await connection.ExecuteAsync("""
            LOAD 'auto_explain';
            SET auto_explain.log_min_duration = 0;
            SET auto_explain.log_nested_statements = on;
            SET auto_explain.log_level = notice;
            SET client_min_messages = notice;
            """);
        await connection.QueryAsync(sql);
        return plans.Where(plan => plan.Contains("issue_search_documents", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task Broad_terms_walk_newest_first_and_selective_ones_read_the_gin_index_without_joining_issues()
    {
        // Three descriptions in four hold "timeout" (6,000: broad), every 1,000th title "zq7rareword" (8: selective).
        await fixture.ExecuteAsync("""
            INSERT INTO ims.issues (issue_id, title, description, product, status)
            SELECT 'PLAN-' || g, 'Generated issue ' || g || CASE WHEN g % 1000 = 0 THEN ' zq7rareword' ELSE '' END,
                   'Batch job ' || g || CASE WHEN g % 4 <> 0 THEN ' timeout' ELSE ' finished' END,
                   CASE g % 3 WHEN 0 THEN 'OpenFrame Batch' WHEN 1 THEN 'Tibero' ELSE 'JEUS' END, 'Open'
            FROM generate_series(1, 8000) AS g
            """);
        await fixture.ExecuteAsync("VACUUM (ANALYZE) ims.issues, ims.issue_search_documents");

        var broad = await PlansAsync(
            "SELECT * FROM ims.search_issue_page(ims.parse_search_query('timeout'), 'OpenFrame', p_limit => 20)");
        var page = Assert.Single(broad, plan => plan.Contains("ORDER BY d.issue_pk DESC", StringComparison.Ordinal)
                                                && plan.Contains("ims.search_head(d.document) @@ $1 AND NOT", StringComparison.Ordinal));
        Assert.Contains("Index Scan Backward using issue_search_documents_pkey", page);
        Assert.Contains("openframe", page);   // the family filter is checked on the search row
        Assert.All(broad, plan => Assert.DoesNotContain("Seq Scan", plan));
        Assert.All(broad, plan => Assert.DoesNotContain(" on issues ", plan));
        Assert.Equal(20, (await fixture.QueryAsync<long>(
            "SELECT issue_pk FROM ims.search_issue_page(ims.parse_search_query('timeout'), 'OpenFrame', p_limit => 20)")).Count);

        var selective = await PlansAsync("SELECT * FROM ims.search_issue_page(ims.parse_search_query('zq7rareword'))");
        Assert.Contains(selective, plan => plan.Contains("Bitmap Index Scan on ix_issue_search_documents_title", StringComparison.Ordinal));
        Assert.All(selective, plan => Assert.DoesNotContain("Seq Scan", plan));
        Assert.All(selective, plan => Assert.DoesNotContain(" on issues ", plan));

        var count = await PlansAsync("SELECT * FROM ims.search_issue_count(ims.parse_search_query('timeout'), 'JEUS', p_facets => true)");
        Assert.Contains(count, plan => plan.Contains("Bitmap Index Scan on ix_issue_search_documents_document", StringComparison.Ordinal));
        Assert.All(count, plan => Assert.DoesNotContain("Seq Scan", plan));
        Assert.Equal(2000L, await fixture.ScalarAsync<long>(
            "SELECT total FROM ims.search_issue_count(ims.parse_search_query('timeout'), 'JEUS')"));
    }
}
