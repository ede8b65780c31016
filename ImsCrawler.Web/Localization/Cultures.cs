namespace ImsCrawler.Web.Localization;

public static class Cultures
{
    public const string Default = "en";

    /// <summary>The UI's languages: English, Korean, Japanese.</summary>
    public static readonly string[] Supported = ["en", "ko", "ja"];

    /// <summary>Each language named in itself, for the switch.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["en"] = "English",
        ["ko"] = "한국어",
        ["ja"] = "日本語",
    };
}
