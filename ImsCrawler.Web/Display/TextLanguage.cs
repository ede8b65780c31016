namespace ImsCrawler.Web.Display;

/// <summary>
/// The language of a piece of issue text, for its <c>lang</c> attribute: browsers pick Korean or Japanese glyphs
/// for shared Han characters by it. Hangul means Korean, kana Japanese; anything else is left to the page's language.
/// </summary>
public static class TextLanguage
{
    public static string? Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        foreach (var c in text)
        {
            if (c is >= '\uAC00' and <= '\uD7AF' or >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F')
                return "ko";
            if (c is >= '\u3040' and <= '\u30FF' or >= '\uFF66' and <= '\uFF9F')
                return "ja";
        }
        return null;
    }
}
