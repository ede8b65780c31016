using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Api.Tests.Ingest;

/// <summary>Crawled-issue records in the crawler's shape (docs/crawled-issue.md) and session helpers.</summary>
public static class CrawledIssues
{
    public static string UniqueId(string prefix = "T") => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 12)];

    /// <summary>A full record: every documented key, metadata, related issues, 2 comments, 2 history rows, 1 attachment, an unknown key.</summary>
    public static JsonObject Full(string issueId, int crawlOrder = 1) => new()
    {
        ["issue_id"] = issueId,
        ["title"] = "배치 작업 TPETIME 타임아웃 — OpenFrame Batch",
        ["description"] = "夜間バッチが TPETIME で終了します。배치 작업이 타임아웃으로 종료됩니다.",
        ["product"] = "OpenFrame Batch",
        ["status"] = "Closed",
        ["priority"] = "High",
        ["created_date"] = "2024-01-15 10:23",
        ["updated_date"] = "2024/01/20 17:05:30",
        ["reporter"] = "Kim Reporter (kim@example.com)",
        ["assignee"] = "Lee Handler",
        ["product_notice"] = "Apply patch 7.1.3",
        ["related_issues"] = new JsonArray(new JsonObject
        {
            ["issue_no"] = "347001", ["status"] = "Open", ["product"] = "OpenFrame", ["module"] = "TJES",
            ["owner"] = "Park", ["handler"] = "Lee", ["customer"] = "ACME",
        }),
        ["comments"] = new JsonArray(
            new JsonObject { ["action_no"] = 1, ["author"] = "Lee Handler", ["date"] = "2024-01-16 09:00", ["content"] = "TP 타임아웃 값을 늘렸습니다." },
            new JsonObject { ["action_no"] = 2, ["author"] = "Kim Reporter", ["date"] = "2024-01-17", ["content"] = "確認しました。Thanks." }),
        ["history"] = new JsonArray(
            new JsonObject { ["date"] = "2024-01-15 10:23", ["user"] = "Kim Reporter", ["details"] = "Issue registered" },
            new JsonObject { ["date"] = "2024-01-20 17:05:30", ["user"] = "Lee Handler", ["details"] = "Status changed from Open to Closed" }),
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["name"] = "tpetime_trace.log", ["file_id"] = "F-1001", ["size"] = "12.3 KB", ["type"] = "regular",
            ["local_path"] = $"attachments/{issueId}/tpetime_trace.log", ["extracted_text"] = "TPETIME at SVC99 OFCOBOL",
        }),
        ["metadata"] = new JsonObject
        {
            ["category"] = "Defect", ["version"] = "7.1", ["build_no"] = "1234", ["patch_no"] = "3", ["module"] = "TJES",
            ["error_code"] = "TPETIME", ["severity"] = "Major", ["project"] = "ACME Migration", ["customer"] = "ACME Corp",
            ["owner"] = "Park Owner", ["patch_version"] = "7.1.3", ["bug_number"] = "B-77",
        },
        ["url"] = $"https://ims.example/issue/{issueId}",
        ["crawled_at"] = "2024-05-01 10:00:00",
        ["crawl_order"] = crawlOrder,
        ["x_unknown_key"] = new JsonObject { ["kept"] = true },
    };

    /// <summary>A small record: id, title, one comment, one history row, one attachment.</summary>
    public static JsonObject Small(string issueId, string title = "Small issue") => new()
    {
        ["issue_id"] = issueId,
        ["title"] = title,
        ["status"] = "Open",
        ["comments"] = new JsonArray(new JsonObject { ["action_no"] = 1, ["author"] = "eng", ["date"] = "2024-02-01", ["content"] = "first" }),
        ["history"] = new JsonArray(new JsonObject { ["date"] = "2024-02-01 08:00", ["user"] = "eng", ["details"] = "Open -> Assigned" }),
        ["attachments"] = new JsonArray(new JsonObject { ["name"] = "a.txt", ["size"] = "1 KB", ["type"] = "regular" }),
    };

    public static StringContent Json(params JsonNode[] items) =>
        new(new JsonArray(items.Select(i => i.DeepClone()).ToArray()).ToJsonString(), Encoding.UTF8, "application/json");

    public static StringContent NdJson(params JsonNode[] items) =>
        new(string.Join("\n", items.Select(i => i.ToJsonString())) + "\n", Encoding.UTF8, "application/x-ndjson");

    public static StringContent Raw(string body, string mediaType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>A session of <paramref name="userId"/>, inserted as the owner; returns its uuid.</summary>
    public static async Task<string> CreateSessionAsync(DatabaseFixture database, int userId, string status = "running")
    {
        var uuid = Guid.NewGuid().ToString();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query, status)
            VALUES (@uuid, @userId, 'OpenFrame', '배치 타임아웃', 'batch timeout', @status)
            """, new { uuid, userId, status });
        return uuid;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Expected success, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
