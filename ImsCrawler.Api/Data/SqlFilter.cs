namespace ImsCrawler.Api.Data;

/// <summary>
/// The SQL conditions the lists share, written once. Each optional filter holds when its parameter is null. Column
/// and parameter names are the code's own constants, never input.
/// </summary>
public static class SqlFilter
{
    /// <summary>The column is a product of family <c>@product</c> (<c>OpenFrame</c> also matches <c>OpenFrame Batch</c>).</summary>
    public static string InFamily(string column) => $"(@product::text is null or ims.product_in_family({column}, @product))";

    /// <summary>The column equals the text parameter, ignoring case.</summary>
    public static string EqualIgnoringCase(string column, string parameter) =>
        $"(@{parameter}::text is null or lower({column}) = lower(@{parameter}))";

    /// <summary>The column equals the parameter, of SQL type <paramref name="type"/>.</summary>
    public static string Equal(string column, string parameter, string type) =>
        $"(@{parameter}::{type} is null or {column} = @{parameter})";

    /// <summary><c>@from</c> ≤ column &lt; <c>@to</c> (timestamptz), each bound optional.</summary>
    public static string Within(string column) =>
        $"(@from::timestamptz is null or {column} >= @from) and (@to::timestamptz is null or {column} < @to)";

    /// <summary>Keyset, newest first: the rows after the cursor's key <c>@after</c> come before it.</summary>
    public static string Before(string column) => $"(@after::bigint is null or {column} < @after)";

    /// <summary>Keyset, oldest first: the rows after the cursor's key <c>@after</c>.</summary>
    public static string After(string column) => $"(@after::bigint is null or {column} > @after)";
}
