using System.Globalization;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Search;

namespace ImsCrawler.Api.Paging;

/// <summary>
/// How one list is paged, and the one place that reads <c>limit</c> and <c>cursor</c>: <c>limit</c> 1 to the list's
/// maximum (its default when absent); <c>cursor</c> the opaque <c>nextCursor</c> of the page before, valid only for this
/// list with the same filters. Anything else is a 400 naming the parameter.
/// </summary>
public sealed class Keyset(string list, int defaultLimit = Keyset.DefaultLimit, int maxLimit = Keyset.MaxLimit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The OpenAPI description of every list's <c>cursor</c>.</summary>
    public const string CursorDescription =
        "Opaque: the nextCursor of the previous page. Valid only for this list with the same filters; absent: the first page.";

    /// <param name="filters">The list's filters as the query will use them: a cursor made under others is refused.</param>
    public PageRequest Read(RequestErrors errors, int? limit, string? cursor, params object?[] filters)
    {
        var fingerprint = string.Join('\u001f', filters.Select(Format).Prepend(list));
        var size = QueryParameters.Limit(errors, limit, defaultLimit, maxLimit);
        CursorKey? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (Cursor.TryDecode(cursor, fingerprint, out var key))
                after = key;
            else
                errors.Add("cursor", "cursor is not a nextCursor of this list with the same filters.");
        }
        return new PageRequest(size, after, fingerprint);
    }

    private static string Format(object? value) => value switch
    {
        null => "\u0000",
        DateTimeOffset instant => instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A checked page request: its size and where it starts (after <see cref="After"/>; null: the first page).</summary>
public sealed record PageRequest(int Limit, CursorKey? After, string Fingerprint)
{
    /// <summary>Rows to read: one more than a page, which tells whether a next page exists.</summary>
    public int Take => Limit + 1;

    /// <summary>The key the page starts after, for lists keyed by one id (<c>@after</c> in <see cref="Data.SqlFilter"/>).</summary>
    public long? AfterId => After?.Id;

    /// <summary>The page of up to <see cref="Take"/> rows read: the first <see cref="Limit"/>, and a cursor when more follow.</summary>
    public Page<T> PageOf<T>(IReadOnlyList<T> rows, Func<T, CursorKey> keyOf) => PageOf(rows, keyOf, row => row);

    public Page<TItem> PageOf<TRow, TItem>(IReadOnlyList<TRow> rows, Func<TRow, CursorKey> keyOf, Func<TRow, TItem> itemOf)
    {
        var items = rows.Take(Limit).Select(itemOf).ToList();
        var next = rows.Count > Limit ? Cursor.Encode(Fingerprint, keyOf(rows[Limit - 1])) : null;
        return new Page<TItem>(items, next);
    }
}
