using System.Text.Json;
using ImsCrawler.Api.Ingest;

namespace ImsCrawler.Api.Tests.Ingest;

/// <summary>The crawler's text formats: dates (IMS local time), sizes, history details; and per-item validation.</summary>
public sealed class MappingTests
{
    private static readonly TimeZoneInfo Seoul = TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");

    [Theory]
    [InlineData("2024-01-15", "2024-01-14T15:00:00Z")]
    [InlineData("2024-01-15 10:23", "2024-01-15T01:23:00Z")]
    [InlineData("2024/01/15 10:23:45", "2024-01-15T01:23:45Z")]
    [InlineData("2024.01.15 10:23:45", "2024-01-15T01:23:45Z")]
    [InlineData("2024-01-15T10:23:45", "2024-01-15T01:23:45Z")]
    [InlineData(" 2024-1-5 9:05 ", "2024-01-05T00:05:00Z")]
    [InlineData("2024-01-15T10:23:45+00:00", "2024-01-15T10:23:45Z")]
    [InlineData("2024-01-15T10:23:45Z", "2024-01-15T10:23:45Z")]
    public void Dates_are_read_in_the_configured_zone(string text, string utc)
    {
        var parsed = ImsDates.Parse(text, Seoul);
        Assert.Equal(DateTime.Parse(utc, null, System.Globalization.DateTimeStyles.AdjustToUniversal), parsed);
        Assert.Equal(DateTimeKind.Utc, parsed!.Value.Kind);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-13-01")]
    [InlineData("15/01/2024")]
    [InlineData("")]
    public void Unreadable_dates_are_null(string text) => Assert.Null(ImsDates.Parse(text, Seoul));

    [Theory]
    [InlineData("12.3 KB", 12595L)]
    [InlineData("1,024 bytes", 1024L)]
    [InlineData("2MB", 2097152L)]
    [InlineData("512", 512L)]
    [InlineData("1.5 gb", 1610612736L)]
    [InlineData("0 B", 0L)]
    public void Sizes_become_bytes(string text, long bytes) => Assert.Equal(bytes, FileSizes.Parse(text));

    [Theory]
    [InlineData("big")]
    [InlineData("12.3 parsecs")]
    [InlineData("-1 KB")]
    public void Unreadable_sizes_are_null(string text) => Assert.Null(FileSizes.Parse(text));

    [Theory]
    [InlineData("Status changed from Open to Closed", "status_change", "Status", "Open", "Closed")]
    [InlineData("Priority: Low -> High", "priority_change", "Priority", "Low", "High")]
    [InlineData("상태: 접수 → 완료", "status_change", "상태", "접수", "완료")]
    [InlineData("担当者: 田中 → 鈴木", "assignment", "担当者", "田中", "鈴木")]
    [InlineData("Open -> Assigned", "status_change", "status", "Open", "Assigned")]
    [InlineData("Assigned to Lee Handler", "assignment", "assignee", null, "Lee Handler")]
    public void History_details_are_parsed_where_they_follow_a_pattern(string details, string type, string field, string? oldValue, string? newValue) =>
        Assert.Equal(new HistoryChange(type, field, oldValue, newValue), HistoryDetails.Parse(details));

    [Theory]
    [InlineData("Issue registered")]
    [InlineData("")]
    public void Other_history_details_are_kept_as_description_only(string details) => Assert.Null(HistoryDetails.Parse(details));

    [Fact]
    public void Duplicates_in_a_batch_keep_the_later_item_and_warn()
    {
        using var document = JsonDocument.Parse("""
            [{"issue_id": "D1", "title": "old", "comments": [{"action_no": 1, "content": "a"}, {"action_no": 1, "content": "b"}]},
             {"issue_id": "D2", "title": "other"},
             {"issue_id": "D1", "title": "new", "comments": [{"content": "no number"}]}]
            """);

        var result = new CrawledIssueMapper(Seoul).Map(document.RootElement.EnumerateArray());

        Assert.True(result.IsValid);
        Assert.Equal(["D2", "D1"], result.Batch.Issues.Select(i => i.IssueId));
        Assert.Equal("new", result.Batch.Issues[1].Title);
        Assert.Equal(1, result.Batch.Comments.Single().CommentNumber);
        Assert.Contains(result.Batch.Warnings, w => w.StartsWith("items[2].issue_id:", StringComparison.Ordinal));
        Assert.Contains("items[2].comments: 1 comment without a readable action_no, numbered by position (1)", result.Batch.Warnings);
    }

    [Fact]
    public void Lengths_count_characters_not_utf16_units()
    {
        // 20 emoji are 40 UTF-16 units but 20 characters: they fit priority varchar(20).
        var priority = string.Concat(Enumerable.Repeat("🔥", 20));
        using var document = JsonDocument.Parse($$"""[{"issue_id": "L1", "title": "t", "priority": "{{priority}}"}]""");

        var result = new CrawledIssueMapper(Seoul).Map(document.RootElement.EnumerateArray());

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Keys));
    }

    private static CrawledIssueMapper.Result MapOne(string item)
    {
        using var document = JsonDocument.Parse($"[{item}]");
        return new CrawledIssueMapper(Seoul).Map(document.RootElement.EnumerateArray());
    }

    [Fact]
    public void Empty_strings_are_absent_for_every_mapped_field()
    {
        var result = MapOne("""
            {"issue_id": "E1", "title": "t", "description": "", "product": " ", "status": "", "priority": "", "reporter": "",
             "assignee": "", "created_date": "", "updated_date": " ", "crawl_order": "", "crawled_at": "",
             "metadata": {"severity": "", "category": "", "owner": "", "project": "", "customer": "", "version": "", "patch_version": ""}}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Keys));
        var issue = Assert.Single(result.Batch.Issues);
        Assert.All(new object?[]
        {
            issue.Description, issue.Product, issue.Status, issue.Priority, issue.Reporter, issue.Manager, issue.RegisteredDate,
            issue.ModifiedDate, issue.CrawlOrder, issue.CrawledAt, issue.Severity, issue.IssueType, issue.Owner, issue.ProjectName,
            issue.Customer, issue.FoundVersion, issue.FixedVersion,
        }, Assert.Null);
        Assert.Empty(result.Batch.Warnings);
    }

    [Fact]
    public void A_whitespace_value_longer_than_its_column_is_absent_not_an_error()
    {
        var result = MapOne($$"""{"issue_id": "E2", "title": "t", "priority": "{{new string(' ', 40)}}"}""");

        Assert.True(result.IsValid);
        Assert.Null(result.Batch.Issues.Single().Priority);
    }

    [Fact]
    public void Numbers_may_come_as_strings()
    {
        var result = MapOne("""
            {"issue_id": 348001, "title": "t", "crawl_order": "3", "comments": [{"action_no": "2258642", "content": "c"}],
             "attachments": [{"name": "a.log", "file_id": 88121, "size": "1 KB"}]}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Keys));
        Assert.Equal(("348001", (int?)3), (result.Batch.Issues.Single().IssueId, result.Batch.Issues.Single().CrawlOrder));
        Assert.Equal(2258642, result.Batch.Comments.Single().CommentNumber);
        Assert.Empty(result.Batch.Warnings);
    }

    [Fact]
    public void Comments_without_a_readable_action_no_are_numbered_by_position_with_one_warning()
    {
        var result = MapOne("""
            {"issue_id": "E3", "title": "t", "comments": [
                {"action_no": "", "content": "first"}, {"action_no": "2258642", "content": "second"},
                {"action_no": "Action No.", "content": "third"}, {"content": "fourth"}]}
            """);

        Assert.True(result.IsValid);
        Assert.Equal([1, 2258642, 3, 4], result.Batch.Comments.Select(c => c.CommentNumber));
        Assert.Equal(["items[0].comments: 3 comments without a readable action_no, numbered by position (1, 3, 4)"], result.Batch.Warnings);
    }

    [Fact]
    public void Unreadable_number_text_is_a_warning_and_null()
    {
        var result = MapOne("""{"issue_id": "E4", "title": "t", "crawl_order": "third"}""");

        Assert.True(result.IsValid);
        Assert.Null(result.Batch.Issues.Single().CrawlOrder);
        Assert.Equal(["items[0].crawl_order: \"third\" is not a whole number, stored as NULL"], result.Batch.Warnings);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("Unknown")]
    [InlineData("")]
    [InlineData("  ")]
    public void An_item_whose_page_the_crawler_could_not_parse_is_skipped_with_a_warning(string issueId)
    {
        using var document = JsonDocument.Parse($$"""
            [{"issue_id": "S1", "title": "kept"}, {"issue_id": "{{issueId}}", "title": "", "comments": [{"action_no": 1}]}]
            """);

        var result = new CrawledIssueMapper(Seoul).Map(document.RootElement.EnumerateArray());

        Assert.True(result.IsValid);
        Assert.Equal(["S1"], result.Batch.Issues.Select(i => i.IssueId));
        Assert.Empty(result.Batch.Comments);
        Assert.Equal([1], result.SkippedItems);
        Assert.Contains(result.Batch.Warnings, w => w.StartsWith("items[1].issue_id:", StringComparison.Ordinal) && w.EndsWith("the item is skipped", StringComparison.Ordinal));
    }

    [Fact]
    public void Blank_comments_history_rows_and_attachments_are_left_out()
    {
        var result = MapOne("""
            {"issue_id": "E5", "title": "t",
             "comments": [{"action_no": "", "author": "", "date": "", "content": ""}],
             "history": [{"date": "", "user": "", "details": " "}],
             "attachments": [{"name": "", "file_id": "", "size": "", "type": ""}, {"name": "", "size": "1 KB", "type": "patch"}]}
            """);

        Assert.True(result.IsValid);
        Assert.Empty(result.Batch.Comments);
        Assert.Empty(result.Batch.History);
        Assert.Empty(result.Batch.Attachments);
        Assert.Equal(["items[0].attachments[1].name: empty; an attachment without a file name cannot be stored and is skipped"], result.Batch.Warnings);
    }

    [Fact]
    public void An_empty_size_or_date_gives_no_warning_and_an_unreadable_one_does()
    {
        var result = MapOne("""
            {"issue_id": "E6", "title": "t", "created_date": "", "updated_date": "last Tuesday",
             "attachments": [{"name": "a", "size": ""}, {"name": "b", "size": "huge"}]}
            """);

        Assert.Equal(
            ["items[0].updated_date: unparsable date \"last Tuesday\", stored as NULL", "items[0].attachments[1].size: unparsable size \"huge\", stored as NULL"],
            result.Batch.Warnings);
    }

    [Fact]
    public void A_crawled_at_in_isoformat_with_microseconds_is_read_in_the_ims_zone()
    {
        var result = MapOne("""{"issue_id": "E7", "title": "t", "crawled_at": "2024-11-02T10:15:01.123456"}""");

        Assert.Equal(new DateTime(2024, 11, 2, 1, 15, 1, DateTimeKind.Utc).AddTicks(1234560), result.Batch.Issues.Single().CrawledAt);
    }
}
