using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Functions;

public sealed class UpsertIssueTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private const string Upsert = "SELECT ims.upsert_issue(@id, @title, @description, @product, @status, @fullData::jsonb)";

    [Fact]
    public async Task Upsert_inserts_then_updates_the_same_issue_and_counts_crawls()
    {
        var id = TestData.Unique("UP");
        var first = await db.ScalarAsync<long>(Upsert, new { id, title = "t1", description = "d1", product = "Tibero", status = "Open", fullData = "{}" });
        var second = await db.ScalarAsync<long>(Upsert, new { id, title = "t2", description = "d2", product = "Tibero", status = "Closed", fullData = "{}" });

        var row = await db.QuerySingleAsync<(string Title, string Status, int Crawls)>(
            "SELECT title, status, crawl_count FROM ims.issues WHERE issue_pk = @first", new { first });
        Assert.Equal(first, second);
        Assert.Equal(("t2", "Closed", 2), row);
    }

    [Fact]
    public async Task Upsert_keeps_the_modified_date_from_ims()
    {
        var id = TestData.Unique("UP");
        var pk = await db.ScalarAsync<long>(Upsert, new { id, title = "t", description = "d", product = "p", status = "Open", fullData = "{}" });
        await db.ExecuteAsync("UPDATE ims.issues SET modified_date = '2024-01-20 17:05:00+09' WHERE issue_pk = @pk", new { pk });

        await db.ScalarAsync<long>(Upsert, new { id, title = "t", description = "d", product = "p", status = "Open", fullData = "{}" });

        var modified = await db.ScalarAsync<DateTime>("SELECT modified_date FROM ims.issues WHERE issue_pk = @pk", new { pk });
        Assert.Equal(new DateTime(2024, 1, 20, 8, 5, 0, DateTimeKind.Utc), modified);
    }

    [Fact]
    public async Task Upsert_with_nulls_does_not_wipe_stored_values()
    {
        var id = TestData.Unique("UP");
        var pk = await db.ScalarAsync<long>(Upsert, new { id, title = "title", description = "kept", product = "OpenFrame", status = "Open", fullData = """{"a": 1}""" });

        await db.ScalarAsync<long>(Upsert, new { id, title = (string?)null, description = (string?)null, product = (string?)null, status = (string?)null, fullData = (string?)null });

        var row = await db.QuerySingleAsync<(string Title, string Description, string Product, string Status, string FullData)>(
            "SELECT title, description, product, status, full_data::text FROM ims.issues WHERE issue_pk = @pk", new { pk });
        Assert.Equal(("title", "kept", "OpenFrame", "Open", """{"a": 1}"""), row);
    }

    [Fact]
    public async Task Upsert_with_the_crawlers_empty_strings_does_not_wipe_stored_values()
    {
        var id = TestData.Unique("UP");
        var pk = await db.ScalarAsync<long>(Upsert, new { id, title = "title", description = "kept", product = "OpenFrame", status = "Open", fullData = "{}" });

        await db.ScalarAsync<long>(Upsert, new { id, title = "", description = " ", product = "", status = "\t", fullData = "{}" });

        var row = await db.QuerySingleAsync<(string Title, string Description, string Product, string Status)>(
            "SELECT title, description, product, status FROM ims.issues WHERE issue_pk = @pk", new { pk });
        Assert.Equal(("title", "kept", "OpenFrame", "Open"), row);
    }

    [Fact]
    public async Task A_new_issue_with_empty_strings_stores_nulls_and_an_empty_title()
    {
        var id = TestData.Unique("UP");
        var pk = await db.ScalarAsync<long>(Upsert, new { id, title = "", description = "", product = "", status = "", fullData = "{}" });

        var row = await db.QuerySingleAsync<(string Title, string? Description, string? Product, string? Status)>(
            "SELECT title, description, product, status FROM ims.issues WHERE issue_pk = @pk", new { pk });
        Assert.Equal(("", null, null, null), row);
    }

    [Fact]
    public async Task Full_data_of_a_partial_recrawl_keeps_every_known_key_and_takes_the_new_ones()
    {
        var id = TestData.Unique("UP");
        var pk = await db.ScalarAsync<long>(Upsert, new
        {
            id, title = "t", description = "d", product = "p", status = "Open",
            fullData = """{"title": "t", "product_notice": "Apply 7.1.3", "comments": [{"action_no": "1"}], "metadata": {"severity": "Major", "version": "7.1", "module": ""}}""",
        });

        await db.ScalarAsync<long>(Upsert, new
        {
            id, title = "t", description = "", product = "", status = "Closed",
            fullData = """{"title": "t", "product_notice": "", "comments": [], "status": "Closed", "metadata": {"severity": "", "version": "7.2", "module": "TJES"}}""",
        });

        var fullData = await db.ScalarAsync<string>("SELECT full_data::text FROM ims.issues WHERE issue_pk = @pk", new { pk });
        Assert.Equal(
            """{"title": "t", "status": "Closed", "comments": [{"action_no": "1"}], "metadata": {"module": "TJES", "version": "7.2", "severity": "Major"}, "product_notice": "Apply 7.1.3"}""",
            fullData);
    }

    [Fact]
    public async Task Merging_a_record_with_itself_changes_nothing()
    {
        const string record = """{"a": "", "b": "x", "c": [], "m": {"k": "", "v": "1"}}""";

        Assert.Equal(record, await db.ScalarAsync<string>("SELECT ims.merge_crawled_record(@record::jsonb, @record::jsonb)::text", new { record }));
    }

    [Fact]
    public async Task A_recrawl_that_changes_no_text_does_not_rewrite_the_search_document()
    {
        var id = TestData.Unique("UP");
        var pk = await db.ScalarAsync<long>(Upsert, new { id, title = "stable title", description = "d", product = "p", status = "Open", fullData = "{}" });
        var before = await db.ScalarAsync<string>("SELECT xmin::text FROM ims.issue_search_documents WHERE issue_pk = @pk", new { pk });

        await db.ScalarAsync<long>(Upsert, new { id, title = "stable title", description = "d", product = "p", status = "Closed", fullData = "{}" });

        Assert.Equal(before, await db.ScalarAsync<string>("SELECT xmin::text FROM ims.issue_search_documents WHERE issue_pk = @pk", new { pk }));
    }
}
