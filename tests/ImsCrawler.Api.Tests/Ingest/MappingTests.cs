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
        Assert.Contains(result.Batch.Warnings, w => w.StartsWith("items[2].comments[0].action_no: missing", StringComparison.Ordinal));
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
}
