using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace ImsCrawler.Web.Display;

/// <summary>
/// Search snippets arrive as HTML: escaped text with &lt;mark&gt; around the matches. Only those marks are let
/// through; every other character is decoded and escaped again, so whatever the Api (or an issue's text) holds,
/// no other element, attribute or entity reaches the page as markup.
/// </summary>
public static class SnippetHtml
{
    private const string Open = "<mark>";
    private const string Close = "</mark>";

    public static MarkupString Sanitize(string? html)
    {
        if (string.IsNullOrEmpty(html))
            return new MarkupString("");
        var output = new StringBuilder(html.Length + 16);
        var open = false;
        var position = 0;
        while (position < html.Length)
        {
            var next = NextMark(html, position, out var isOpen);
            output.Append(WebUtility.HtmlEncode(WebUtility.HtmlDecode(html[position..(next < 0 ? html.Length : next)])));
            if (next < 0)
                break;
            if (isOpen != open)
            {
                output.Append(isOpen ? Open : Close);
                open = isOpen;
            }
            position = next + (isOpen ? Open.Length : Close.Length);
        }
        if (open)
            output.Append(Close);
        return new MarkupString(output.ToString());
    }

    private static int NextMark(string html, int from, out bool isOpen)
    {
        var open = html.IndexOf(Open, from, StringComparison.OrdinalIgnoreCase);
        var close = html.IndexOf(Close, from, StringComparison.OrdinalIgnoreCase);
        isOpen = open >= 0 && (close < 0 || open < close);
        return isOpen ? open : close;
    }
}
