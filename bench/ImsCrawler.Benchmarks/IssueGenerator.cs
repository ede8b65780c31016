using System.Text.Json.Nodes;

namespace ImsCrawler.Benchmarks;

/// <summary>
/// Realistic crawled issues in the crawler's record shape: Korean, English and Japanese text
/// (one language per issue, in turn, with product and error codes), 5 comments, 3 history rows,
/// 1 attachment with extracted text, about 2 KB of text each.
/// </summary>
public static class IssueGenerator
{
    private static readonly string[] Products = ["OpenFrame Batch", "OpenFrame OSC", "Tibero", "JEUS", "OpenFrame TACF"];
    private static readonly string[] Codes = ["TPETIME", "SVC99", "OFCOBOL", "S0C4", "TBR-2131", "JEUS-0042"];

    private static readonly string[] Korean =
    [
        "배치 작업이 야간에 타임아웃으로 종료됩니다", "고객사 운영 환경에서 재현되었습니다", "로그를 확인한 결과 연결 풀이 부족합니다",
        "패치 적용 후 정상 동작을 확인했습니다", "설정 값을 변경하여 해결하였습니다", "트랜잭션 처리 중 오류가 발생합니다",
    ];
    private static readonly string[] Japanese =
    [
        "夜間バッチがタイムアウトで異常終了します", "顧客の本番環境で再現しました", "ログを確認したところ接続プールが不足しています",
        "パッチ適用後に正常動作を確認しました", "設定値を変更して解決しました", "トランザクション処理中にエラーが発生します",
    ];
    private static readonly string[] English =
    [
        "The nightly batch job ends with a timeout", "Reproduced on the customer's production system", "The logs show the connection pool is exhausted",
        "Confirmed normal operation after applying the patch", "Resolved by changing the configuration value", "An error occurs while processing the transaction",
    ];

    public static JsonObject Issue(int n)
    {
        var words = (n % 3) switch { 0 => Korean, 1 => Japanese, _ => English };
        var code = Codes[n % Codes.Length];
        string Text(int sentences, int salt) =>
            string.Join(n % 3 == 2 ? ". " : " ", Enumerable.Range(0, sentences).Select(i => words[(n + salt + i) % words.Length])) + $" ({code}-{n % 97})";
        var id = (300000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var day = new DateTime(2023, 1, 1).AddDays(n % 700);
        var comments = new JsonArray();
        for (var c = 1; c <= 5; c++)
            comments.Add(new JsonObject
            {
                ["action_no"] = c, ["author"] = $"engineer{(n + c) % 40}",
                ["date"] = day.AddHours(c * 5).ToString("yyyy-MM-dd HH:mm"), ["content"] = Text(4, c),
            });
        var history = new JsonArray(
            new JsonObject { ["date"] = day.ToString("yyyy-MM-dd HH:mm"), ["user"] = $"reporter{n % 50}", ["details"] = "Issue registered" },
            new JsonObject { ["date"] = day.AddHours(3).ToString("yyyy/MM/dd HH:mm:ss"), ["user"] = $"engineer{n % 40}", ["details"] = $"Assigned to engineer{n % 40}" },
            new JsonObject { ["date"] = day.AddDays(4).ToString("yyyy-MM-dd HH:mm"), ["user"] = $"engineer{n % 40}", ["details"] = "Status changed from Open to Closed" });
        return new JsonObject
        {
            ["issue_id"] = id,
            ["title"] = $"{Text(1, 0)} [{code}]",
            ["description"] = Text(10, 7),
            ["product"] = Products[n % Products.Length],
            ["status"] = n % 4 == 0 ? "Open" : "Closed",
            ["priority"] = (n % 3) switch { 0 => "High", 1 => "Normal", _ => "Low" },
            ["created_date"] = day.ToString("yyyy-MM-dd HH:mm"),
            ["updated_date"] = day.AddDays(4).ToString("yyyy-MM-dd HH:mm"),
            ["reporter"] = $"reporter{n % 50} (reporter{n % 50}@example.com)",
            ["assignee"] = $"engineer{n % 40}",
            ["product_notice"] = "",
            ["related_issues"] = new JsonArray(),
            ["comments"] = comments,
            ["history"] = history,
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["name"] = $"trace_{id}.log", ["file_id"] = $"F{n}", ["size"] = $"{(n % 900) / 10.0 + 1:0.0} KB", ["type"] = "regular",
                ["local_path"] = $"attachments/trace_{id}.log", ["extracted_text"] = Text(3, 11),
            }),
            ["metadata"] = new JsonObject
            {
                ["category"] = "Defect", ["version"] = "7.1", ["severity"] = "Major", ["customer"] = $"Customer {n % 30}",
                ["module"] = "TJES", ["error_code"] = code,
            },
            ["url"] = $"https://ims.example/issue/{id}",
            ["crawled_at"] = "2024-05-01 10:00:00",
            ["crawl_order"] = n + 1,
        };
    }
}
