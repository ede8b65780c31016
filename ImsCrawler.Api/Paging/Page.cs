namespace ImsCrawler.Api.Paging;

/// <summary>
/// A page of a keyset-paged list; every list answers in this shape. <paramref name="NextCursor"/> is passed back as
/// <c>cursor</c> for the next page and is absent on the last one.
/// </summary>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page (same filters); absent on the last page.</param>
public record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
