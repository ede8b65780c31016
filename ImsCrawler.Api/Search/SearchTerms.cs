using System.Text;
using System.Text.RegularExpressions;

namespace ImsCrawler.Api.Search;

/// <summary>
/// What the snippet highlighter needs from a query. ts_headline cannot highlight CJK bigram matches (its
/// parser sees a whole Hangul or kana run as one word), so for CJK the snippet is cut around the first
/// occurrence of a query run (or a Hangul run without its particle, as ims.cjk_run_query matches it).
/// </summary>
public static partial class SearchTerms
{
    /// <summary>Marks the snippet SQL puts around a match; replaced by &lt;mark&gt; after HTML escaping.</summary>
    public const char StartMark = '\u0002';
    public const char StopMark = '\u0003';

    // The same particles as ims.cjk_run_query (sql/04).
    private static readonly string[] Particles =
    [
        "에서는", "으로는", "에서", "으로", "에게", "까지", "부터", "처럼", "보다", "이나", "이라", "라는", "이다",
        "은", "는", "이", "가", "을", "를", "에", "의", "도", "만", "와", "과", "로",
    ];

    /// <summary>The CJK strings to look for in the matched field, longest first; excluded (<c>-term</c>) ones are left out.</summary>
    public static string[] CjkTerms(string query)
    {
        var terms = new List<string>();
        foreach (Match token in Token().Matches(query))
        {
            if (token.Groups[1].Value == "-")
                continue;
            var text = token.Groups[2].Success ? token.Groups[2].Value : token.Groups[3].Value;
            foreach (Match run in CjkRun().Matches(text))
            {
                terms.Add(run.Value);
                if (!Hangul().IsMatch(run.Value))
                    continue;
                foreach (var particle in Particles)
                    if (run.Value.EndsWith(particle, StringComparison.Ordinal) && run.Value.Length - particle.Length >= 2)
                        terms.Add(run.Value[..^particle.Length]);
            }
        }
        return terms.Distinct(StringComparer.Ordinal).OrderByDescending(term => term.Length).ToArray();
    }

    /// <summary>HTML-escapes a snippet and turns the match marks into &lt;mark&gt; tags.</summary>
    public static string ToHtml(string? snippet)
    {
        if (string.IsNullOrEmpty(snippet))
            return "";
        var html = new StringBuilder(snippet.Length + 32);
        foreach (var c in snippet.Trim())
        {
            html.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                StartMark => "<mark>",
                StopMark => "</mark>",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }
        return html.ToString();
    }

    // The tokenizer of ims.parse_search_query: sign, "phrase" (closing quote optional) or word.
    [GeneratedRegex("([+-]?)(?:\"([^\"]*)\"?|([^\\s\"]+))", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Token();

    // ims.cjk_run_pattern(): Hangul jamo and syllables, kana (incl. half-width), CJK ideographs, 々.
    [GeneratedRegex("[\u1100-\u11FF\u3005\u3040-\u30FF\u3130-\u318F\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F]+", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CjkRun();

    [GeneratedRegex("^[\uAC00-\uD7AF]+$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Hangul();
}
