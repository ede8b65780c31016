using System.ComponentModel;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Search;

/// <param name="Q">Plain text or IMS syntax (<c>+must</c>, <c>-not</c>, <c>"a phrase"</c>, <c>a OR b</c>); Korean, Japanese, English; 1–500 characters.
/// Intent words (<c>해결 방법</c>, <c>について</c>, <c>how to fix</c>) are dropped; a product family named in it filters when <c>product</c> is absent.</param>
/// <param name="Product">Product family: <c>OpenFrame</c> matches <c>OpenFrame</c> and <c>OpenFrame Batch</c>, not <c>OpenFrameX</c>.</param>
/// <param name="Status">Issue status, exact (case-insensitive).</param>
/// <param name="Priority">Issue priority, exact (case-insensitive).</param>
/// <param name="From">Issues modified at or after (ISO 8601 date or date-time).</param>
/// <param name="To">Issues modified before (ISO 8601 date or date-time).</param>
/// <param name="Facets">Comma-separated facets to count over all matches: <c>product</c> (family), <c>status</c>.</param>
public sealed record SearchRequest(
    string? Q, string? Product, string? Status, string? Priority, string? From, string? To,
    [property: Description(Keyset.CursorDescription)] string? Cursor,
    [property: Description("Hits per page, 1–100, default 20.")] int? Limit,
    string? Facets = null);

/// <param name="Rank">The ranking tier as a weight: 1.0 the title alone matches, 0.4 title and description, 0.2 with the
/// comments, 0.1 only with the attachment text (similar issues: the share of the best possible score).</param>
/// <param name="MatchedIn">The field that matched best: <c>title</c>, <c>description</c>, <c>comments</c> or <c>attachments</c>.</param>
/// <param name="Snippet">HTML-escaped text around the match, matched words in <c>&lt;mark&gt;</c>.</param>
public sealed record SearchHit(
    string IssueId, string Title, string? Product, string? Status, string? Priority, DateTime? ModifiedDate,
    float Rank, string MatchedIn, string Snippet);

/// <summary>What was matched: the query after dropping intent words, and the product filter in force.</summary>
/// <param name="Query">The text matched (equal to <c>q</c> when nothing was dropped).</param>
/// <param name="Product">The product family filter: the <c>product</c> parameter, or one named in <c>q</c>.</param>
/// <param name="ProductFromQuery">True when the product filter was taken from <c>q</c>.</param>
/// <param name="Dropped">Intent and filler words left out of <c>q</c>.</param>
public sealed record SearchInterpretation(string Query, string? Product, bool ProductFromQuery, IReadOnlyList<string> Dropped);

/// <summary>Matches per product family and per status (estimated and scaled when <c>totalIsEstimate</c>).</summary>
public sealed record SearchFacets(IReadOnlyDictionary<string, long>? Product, IReadOnlyDictionary<string, long>? Status);

/// <summary>A page of search hits: the page every list answers with, plus what a search knows about all its matches.</summary>
/// <param name="Query">The <c>q</c> searched for.</param>
/// <param name="Total">How many issues match the query and filters: exact up to 10,000, beyond that an estimate.</param>
/// <param name="TotalIsEstimate">True when more than 10,000 issues match and <c>total</c> is the planner's estimate.</param>
/// <param name="InterpretedAs">How <c>q</c> was read.</param>
/// <param name="Facets">Present when <c>facets</c> was asked for.</param>
public sealed record SearchPage(
    IReadOnlyList<SearchHit> Items, string? NextCursor, string Query, long Total, bool TotalIsEstimate,
    SearchInterpretation? InterpretedAs, SearchFacets? Facets) : Page<SearchHit>(Items, NextCursor);

/// <summary>Issues like one issue, best first, with the same hit shape as search.</summary>
public sealed record SimilarIssuesPage(string IssueId, IReadOnlyList<SearchHit> Items);
