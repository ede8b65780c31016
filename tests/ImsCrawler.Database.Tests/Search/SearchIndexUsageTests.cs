using System.Text.Json;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Search;

/// <summary>
/// search_issues is an inlinable SQL function, so EXPLAIN of a call shows the plan of its body.
/// With enough rows for a sequential scan to cost more, a selective term must be served by the
/// GIN index on ims.issue_search_documents. Its own class, so its 30k issues stay in its own database.
/// </summary>
public sealed class SearchIndexUsageTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private const int GeneratedIssues = 30_000;

    [Fact]
    public async Task A_selective_search_uses_a_bitmap_index_scan_on_the_search_document_index()
    {
        // One set-based INSERT: the statement trigger builds all 30k documents at once.
        // Every 3000th title holds TPETIME, every 5000th description 타임아웃, every 7000th 接続エラー;
        // the rest share common words, so those terms are selective and the others are not.
        await fixture.ExecuteAsync(
            """
            INSERT INTO ims.issues (issue_id, title, description, product, status)
            SELECT 'GEN-' || g,
                   'Generated batch issue ' || g || CASE WHEN g % 3000 = 0 THEN ' TPETIME' ELSE '' END,
                   'Batch job ' || g || ' failed with error code E' || (g % 97) || ' 배치 작업 오류'
                       || CASE WHEN g % 5000 = 0 THEN ' 타임아웃 발생' ELSE '' END
                       || CASE WHEN g % 7000 = 0 THEN ' データベース接続エラー' ELSE '' END,
                   CASE g % 3 WHEN 0 THEN 'OpenFrame Batch' WHEN 1 THEN 'Tibero' ELSE 'JEUS' END,
                   'Open'
            FROM generate_series(1, @count) AS g
            """,
            new { count = GeneratedIssues });
        Assert.Equal(GeneratedIssues, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM ims.issue_search_documents d JOIN ims.issues i USING (issue_pk) WHERE i.issue_id LIKE 'GEN-%'"));

        // VACUUM, not only ANALYZE: a bulk insert leaves the rows in the GIN index's pending list
        // (fastupdate), which the planner costs as a scan of that list; VACUUM merges it, as
        // autovacuum would after a real ingest.
        await fixture.ExecuteAsync("VACUUM (ANALYZE) ims.issues, ims.issue_search_documents");

        foreach (var (query, expectedGenerated) in new[] { ("TPETIME", 10), ("타임아웃이", 6), ("接続", 4) })
        {
            var plan = await fixture.ScalarAsync<string>("EXPLAIN (FORMAT JSON) SELECT * FROM ims.search_issues(@query)", new { query });
            var nodes = PlanNodes(JsonDocument.Parse(plan).RootElement[0].GetProperty("Plan")).ToList();

            Assert.Contains(nodes, node =>
                Property(node, "Node Type") == "Bitmap Index Scan"
                && Property(node, "Index Name") == "ix_issue_search_documents_document");
            Assert.DoesNotContain(nodes, node =>
                Property(node, "Node Type") == "Seq Scan"
                && Property(node, "Relation Name") == "issue_search_documents");

            var found = await fixture.QueryAsync<string>("SELECT issue_id FROM ims.search_issues(@query, NULL, 1000)", new { query });
            Assert.Equal(expectedGenerated, found.Count(id => id.StartsWith("GEN-", StringComparison.Ordinal)));
        }

        // The text form names the same index (what a human reading EXPLAIN sees).
        var text = string.Join('\n', await fixture.QueryAsync<string>("EXPLAIN SELECT * FROM ims.search_issues('TPETIME')"));
        Assert.Contains("Bitmap Index Scan on ix_issue_search_documents_document", text);
    }

    private static string? Property(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static IEnumerable<JsonElement> PlanNodes(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray())
                foreach (var descendant in PlanNodes(child))
                    yield return descendant;
    }
}
