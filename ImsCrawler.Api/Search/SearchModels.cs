namespace ImsCrawler.Api.Search;

/// <param name="Q">Plain text or IMS syntax (<c>+must</c>, <c>-not</c>, <c>"a phrase"</c>, <c>a OR b</c>); Korean, Japanese, English; 1–500 characters.</param>
/// <param name="Product">Product family: <c>OpenFrame</c> matches <c>OpenFrame</c> and <c>OpenFrame Batch</c>, not <c>OpenFrameX</c>.</param>
/// <param name="Status">Issue status, exact (case-insensitive).</param>
/// <param name="Priority">Issue priority, exact (case-insensitive).</param>
/// <param name="From">Issues modified at or after (ISO 8601 date or date-time).</param>
/// <param name="To">Issues modified before (ISO 8601 date or date-time).</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page (only valid for the same q and filters).</param>
/// <param name="Limit">Hits per page, 1–100, default 20.</param>
public sealed record SearchRequest(
    string? Q, string? Product, string? Status, string? Priority, string? From, string? To, string? Cursor, int? Limit);

/// <param name="MatchedIn">The field that matched best: <c>title</c>, <c>description</c>, <c>comments</c> or <c>attachments</c>.</param>
/// <param name="Snippet">HTML-escaped text around the match, matched words in <c>&lt;mark&gt;</c>.</param>
public sealed record SearchHit(
    string IssueId, string Title, string? Product, string? Status, string? Priority, DateTime? ModifiedDate,
    float Rank, string MatchedIn, string Snippet);

/// <param name="Total">How many issues match the query and filters (all pages).</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; absent on the last page.</param>
public sealed record SearchPage(string Query, IReadOnlyList<SearchHit> Items, long Total, string? NextCursor);
