using System.Diagnostics;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Issues;
using ImsCrawler.Api.Paging;
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
    public const int MaxQueryLength = 500;
    private static readonly Keyset Search = new("search", defaultLimit: 20, maxLimit: 100);
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
        [AsParameters] SearchRequest request, HttpContext http, UserDatabase database, SearchRecorder recorder,
        SearchTelemetry telemetry, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var q = request.Q?.Trim();
        if (string.IsNullOrEmpty(q))
            errors.Add("q", "q is required.");
        else if (q.Length > MaxQueryLength)
            errors.Add("q", $"q must be at most {MaxQueryLength} characters.");
        else if (!QueryParameters.IsPrintable(q))
            errors.Add("q", "q must not contain control characters.");
        var issues = IssueFilter.Read(errors, request.Product, request.Status, request.Priority, request.From, request.To);
        var facets = Facets(errors, request.Facets);
        var page = Search.Read(errors, request.Limit, request.Cursor, [q, .. issues.Values]);
        SearchAfter? after = null;
        if (page.After is { } key)
        {
            if (key.Rank is { } rank && SearchQueries.TierOfRank(rank) is { } tier)
                after = new SearchAfter(tier, key.Id);
            else
                errors.Add("cursor", "cursor is not a nextCursor of this search (same q and filters).");
        }
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var filter = new SearchFilter(q!, issues);
        using var activity = telemetry.Start(filter);
        var clock = Stopwatch.StartNew();
        var user = http.User.GetDatabaseUser();
        var found = await database.ReadAsync(user,
            session => session.SearchIssuesAsync(filter, after, page.Take, facets.Length > 0), cancellationToken);
        if (after is null && found.Total >= 0)
            await recorder.RecordAsync(user, SearchRecord.Of(filter, found), cancellationToken);

        var hits = page.PageOf(found.Hits, hit => new CursorKey(hit.IssuePk, hit.Rank), hit => hit.ToHit());
        var counts = found.Facets is { } all
            ? new SearchFacets(facets.Contains("product") ? all.Product : null, facets.Contains("status") ? all.Status : null)
            : null;
        var answer = new SearchPage(hits.Items, hits.NextCursor, filter.Query, Math.Max(found.Total, 0), found.TotalIsEstimate,
            found.Interpretation, counts);
        var lastTier = hits.Items.Count > 0 ? SearchQueries.TierOfRank(hits.Items[^1].Rank) : null;
        telemetry.Record(activity, answer, lastTier, firstPage: after is null, clock.Elapsed);
        return TypedResults.Ok(answer);
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
