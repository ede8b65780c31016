using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Search;

/// <summary>
/// <c>GET /api/search</c>: full-text search over every issue (issues are shared by all users), ranked by tier — the
/// title alone matches, then title and description, then with the comments, then only with the attachment text —
/// and newest first within a tier (sql/16; docs/api.md "Ranking"), keyset-paged on (tier, issue_pk), with a
/// highlighted snippet per hit. The first page of each search is recorded in ims.search_queries in the same
/// transaction (ims.record_search).
/// </summary>
public static class SearchEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxQueryLength = 500;
    private static readonly string[] FacetNames = ["product", "status"];

    public static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/search").WithTags("Search").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", SearchIssues).WithName(nameof(SearchIssues))
            .WithSummary("Search issues (Korean, Japanese, English; plain text or IMS syntax)")
            .WithDescription("""
                Full-text search over the title, description, comments and attachment text of every issue. Ranking: issues
                whose title alone matches the whole query first, then title and description together, then with the
                comments, then only with the attachment text; newest first within each. `q` accepts plain words (all must
                match; English words are stemmed, codes such as TPETIME or SVC99 match exactly, also with a particle glued
                to them such as `OFCOBOL로` or `SVC99で`; Korean and Japanese match substrings, a Korean particle at the end
                of a word is optional) and IMS syntax: `+must`, `-not`, `"a phrase"`, `a OR b`. Intent words (`해결 방법`,
                `原因`, `how to fix`) are dropped, and a product family named in `q` filters when `product` is absent
                (`interpretedAs` says what was matched). Filters: `product` (family), `status`, `priority`, modified
                `from`/`to`. `total` is exact up to 10,000 and estimated beyond (`totalIsEstimate`). `facets=product,status`
                adds counts per product family and status. Keyset-paged: pass `nextCursor` back as `cursor`. A query with
                nothing searchable returns no hits. The first page of every search is recorded in the caller's history.
                """)
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Results<Ok<SearchPage>, ValidationProblem>> SearchIssues(
        [AsParameters] SearchRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var q = request.Q?.Trim();
        if (string.IsNullOrEmpty(q))
            errors.Add("q", "q is required.");
        else if (q.Length > MaxQueryLength)
            errors.Add("q", $"q must be at most {MaxQueryLength} characters.");
        else if (!QueryParameters.IsPrintable(q))
            errors.Add("q", "q must not contain control characters.");
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        var status = QueryParameters.Text(errors, "status", request.Status, 50);
        var priority = QueryParameters.Text(errors, "priority", request.Priority, 20);
        var from = QueryParameters.Instant(errors, "from", request.From);
        var to = QueryParameters.Instant(errors, "to", request.To);
        QueryParameters.Range(errors, from, to);
        var limit = QueryParameters.Limit(errors, request.Limit, DefaultLimit, MaxLimit);
        var facets = Facets(errors, request.Facets);

        var fingerprint = string.Join('\u001f', q, product, status, priority, from?.ToString("O"), to?.ToString("O"));
        SearchAfter? after = null;
        if (request.Cursor is { Length: > 0 } cursor)
        {
            if (Cursors.TryDecodeRank(cursor, fingerprint, out var rank, out var pk) && SearchQueries.TierOfRank(rank) is { } tier)
                after = new SearchAfter(tier, pk);
            else
                errors.Add("cursor", "cursor is not a nextCursor of this search (same q and filters).");
        }
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var filter = new SearchFilter(q!, product, status, priority, from?.UtcDateTime, to?.UtcDateTime);
        var result = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
        {
            var found = await SearchQueries.SearchAsync(connection, transaction, filter, after, limit + 1, facets.Length > 0, token);
            if (after is null && found.Total >= 0)
                await connection.ExecuteAsync(new CommandDefinition(
                    "select ims.record_search(@q, @product, @total, @matched, @intentFiltered, @productFromQuery)",
                    new
                    {
                        q = filter.Query, product = found.Interpretation.Product, total = (int)Math.Min(found.Total, int.MaxValue),
                        matched = found.Interpretation.Query, intentFiltered = found.Interpretation.Dropped.Count > 0,
                        productFromQuery = found.Interpretation.ProductFromQuery,
                    },
                    transaction, cancellationToken: token));
            return found;
        }, cancellationToken);

        var rows = result.Hits;
        var items = rows.Take(limit).Select(row => row.ToHit()).ToList();
        var next = rows.Count > limit ? Cursors.EncodeRank(fingerprint, rows[limit - 1].Rank, rows[limit - 1].IssuePk) : null;
        var counts = result.Facets is { } all
            ? new SearchFacets(facets.Contains("product") ? all.Product : null, facets.Contains("status") ? all.Status : null)
            : null;
        return TypedResults.Ok(new SearchPage(filter.Query, items, Math.Max(result.Total, 0), next, result.TotalIsEstimate,
            result.Interpretation, counts));
    }

    /// <summary><c>facets=product,status</c>: the facets asked for, lower case (both are counted by the same scan).</summary>
    private static string[] Facets(RequestErrors errors, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return [];
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant()).Distinct().ToArray();
        if (names.Length == 0 || names.Any(name => !FacetNames.Contains(name)))
        {
            errors.Add("facets", $"facets must be a comma-separated list of: {string.Join(", ", FacetNames)}.");
            return [];
        }
        return names;
    }
}
