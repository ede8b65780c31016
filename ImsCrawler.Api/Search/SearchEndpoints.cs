using System.Globalization;
using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ImsCrawler.Api.Search;

/// <summary>
/// <c>GET /api/search</c>: full-text search over every issue (issues are shared by all users) through the
/// GIN index on ims.issue_search_documents, ranked title &gt; description &gt; comments &gt; attachment text,
/// keyset-paged on (rank, issue_pk), with a highlighted snippet per hit. The first page of each search is
/// recorded in ims.search_queries in the same transaction (ims.record_search, sql/11).
/// </summary>
public static class SearchEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxQueryLength = 500;

    // ts_headline for Latin matches; the marks become <mark> after HTML escaping (SearchTerms.ToHtml).
    private static readonly string HeadlineOptions =
        $"StartSel={SearchTerms.StartMark}, StopSel={SearchTerms.StopMark}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=\" … \"";

    public static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/search").WithTags("Search").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", SearchIssues).WithName(nameof(SearchIssues))
            .WithSummary("Search issues (Korean, Japanese, English; plain text or IMS syntax)")
            .WithDescription("""
                Full-text search over the title, description, comments and attachment text of every issue, ranked
                title > description > comments > attachments. `q` accepts plain words (all must match; English words
                are stemmed, codes such as TPETIME or SVC99 match exactly; Korean and Japanese match substrings, a
                Korean particle at the end of a word is optional) and IMS syntax: `+must`, `-not`, `"a phrase"`,
                `a OR b`. Filters: `product` (family), `status`, `priority`, modified `from`/`to`. Keyset-paged:
                pass `nextCursor` back as `cursor`. A query with nothing searchable (only punctuation or stop words)
                returns no hits. The first page of every search is recorded in the caller's search history.
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

        var fingerprint = string.Join('\u001f', q, product, status, priority, from?.ToString("O"), to?.ToString("O"));
        float? afterRank = null;
        long? afterPk = null;
        if (request.Cursor is { Length: > 0 } cursor)
        {
            if (Cursors.TryDecodeRank(cursor, fingerprint, out var rank, out var pk))
                (afterRank, afterPk) = (rank, pk);
            else
                errors.Add("cursor", "cursor is not a nextCursor of this search (same q and filters).");
        }
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var filter = new SearchFilter(q!, product, status, priority, from?.UtcDateTime, to?.UtcDateTime);
        var page = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
        {
            var (hits, total) = await SearchAsync(connection, transaction, filter, afterRank, afterPk, limit + 1, token);
            if (afterPk is null && total >= 0)
                await connection.ExecuteAsync(new CommandDefinition(
                    "select ims.record_search(@q, @product, @total)",
                    new { q = filter.Query, product = filter.Product, total = (int)Math.Min(total, int.MaxValue) },
                    transaction, cancellationToken: token));
            return (hits, total);
        }, cancellationToken);

        var (rows, count) = page;
        var items = rows.Take(limit).Select(row => row.ToHit()).ToList();
        var next = rows.Count > limit ? Cursors.EncodeRank(fingerprint, rows[limit - 1].Rank, rows[limit - 1].IssuePk) : null;
        return TypedResults.Ok(new SearchPage(filter.Query, items, Math.Max(count, 0), next));
    }

    /// <summary>Query and filters of one search (dates in UTC).</summary>
    public sealed record SearchFilter(
        string Query, string? Product = null, string? Status = null, string? Priority = null,
        DateTime? ModifiedFrom = null, DateTime? ModifiedTo = null);

    /// <summary>
    /// One page of hits (<paramref name="take"/> rows after the cursor) with snippets, and the number of all
    /// matches (-1 when PostgreSQL refused the query text: no hits, and the transaction is aborted).
    /// </summary>
    public static async Task<(IReadOnlyList<SearchRow> Hits, long Total)> SearchAsync(NpgsqlConnection connection,
        NpgsqlTransaction? transaction, SearchFilter filter, float? afterRank, long? afterPk, int take, CancellationToken token)
    {
        var hasIssueFilter = filter.Product is not null || filter.Status is not null || filter.Priority is not null
            || filter.ModifiedFrom is not null || filter.ModifiedTo is not null;
        // The filters on ims.issues are only joined in when given: an unfiltered search touches only the documents.
        var issueJoin = hasIssueFilter
            ? """
              join ims.issues i on i.issue_pk = d.issue_pk
                and (@product::text is null or ims.product_in_family(i.product, @product))
                and (@status::text is null or lower(i.status) = lower(@status))
                and (@priority::text is null or lower(i.priority) = lower(@priority))
                and (@modifiedFrom::timestamptz is null or i.modified_date >= @modifiedFrom)
                and (@modifiedTo::timestamptz is null or i.modified_date < @modifiedTo)
              """
            : "";
        // `document @@ ims.parse_search_query(@q)`: the parameter is known when the statement is planned, so the
        // immutable parse folds into a constant tsquery and the GIN index answers the match.
        var sql = $"""
            with matches as (
                select d.issue_pk, ts_rank(d.document, ims.parse_search_query(@q)) as rank
                from ims.issue_search_documents d
                {issueJoin}
                where d.document @@ ims.parse_search_query(@q)
            )
            select m.issue_pk as IssuePk, m.rank as Rank, (select count(*) from matches) as Total
            from matches m
            where @afterPk::bigint is null or (m.rank, m.issue_pk) < (@afterRank::real, @afterPk::bigint)
            order by m.rank desc, m.issue_pk desc
            limit @take
            """;
        var args = new
        {
            q = filter.Query, product = filter.Product, status = filter.Status, priority = filter.Priority,
            modifiedFrom = filter.ModifiedFrom, modifiedTo = filter.ModifiedTo, afterRank, afterPk, take,
        };

        List<(long IssuePk, float Rank, long Total)> ranked;
        try
        {
            ranked = (await connection.QueryAsync<(long IssuePk, float Rank, long Total)>(
                new CommandDefinition(sql, args, transaction, cancellationToken: token))).AsList();
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.SyntaxError
                                                      || exception.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            // Defensive: text that the tsquery parser still refuses is "nothing searchable", never a 500. The
            // transaction is aborted now, so -1 tells the caller not to write anything more in it.
            return ([], -1);
        }
        if (ranked.Count == 0)
        {
            var total = afterPk is null ? 0 : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"select count(*) from ims.issue_search_documents d {issueJoin} where d.document @@ ims.parse_search_query(@q)",
                args, transaction, cancellationToken: token));
            return ([], total);
        }

        var snippets = (await connection.QueryAsync<SearchRow>(new CommandDefinition(SnippetSql, new
        {
            q = filter.Query,
            pks = ranked.Select(hit => hit.IssuePk).ToArray(),
            cjkTerms = SearchTerms.CjkTerms(filter.Query),
            options = HeadlineOptions,
        }, transaction, cancellationToken: token))).ToDictionary(row => row.IssuePk);
        var rows = new List<SearchRow>(ranked.Count);
        foreach (var hit in ranked)
        {
            if (!snippets.TryGetValue(hit.IssuePk, out var row))
                continue;
            row.Rank = hit.Rank;
            rows.Add(row);
        }
        return (rows, ranked[0].Total);
    }

    // Only for the page's hits: the field whose own text matches best (unweighted rank of the document
    // filtered to one weight; ties go to the higher weight), and a snippet of that field. CJK: cut around the
    // first query run found (strpos), since ts_headline cannot see bigram matches; otherwise ts_headline.
    // Attachment rows stay under RLS: when the caller cannot see the text that matched, the title is shown.
    private const string SnippetSql = """
        select i.issue_pk as IssuePk, i.issue_id as IssueId, i.title as Title, i.product as Product,
               i.status as Status, i.priority as Priority, i.modified_date as ModifiedDate, best.field as MatchedIn,
               coalesce(cjk.snippet,
                        ts_headline('english'::regconfig, left(coalesce(nullif(body.text, ''), i.title), 100000), query.q, @options)) as Snippet
        from unnest(@pks::bigint[]) as h(issue_pk)
        cross join (select ims.parse_search_query(@q) as q) as query
        join ims.issues i on i.issue_pk = h.issue_pk
        join ims.issue_search_documents d on d.issue_pk = h.issue_pk
        cross join lateral (
            select w.field
            from (values ('title', 'a'::"char", 1), ('description', 'b'::"char", 2),
                         ('comments', 'c'::"char", 3), ('attachments', 'd'::"char", 4)) as w(field, weight, place)
            order by ts_rank('{1,1,1,1}'::real[], ts_filter(d.document, array[w.weight]), query.q) desc, w.place
            limit 1
        ) as best
        cross join lateral (
            select case best.field
                       when 'title' then i.title
                       when 'description' then i.description
                       when 'comments' then (select string_agg(c.content, E'\n' order by c.comment_number, c.comment_id)
                                             from ims.issue_comments c where c.issue_pk = i.issue_pk)
                       else (select string_agg(a.extracted_text, E'\n' order by a.attachment_id)
                             from ims.attachments a where a.issue_pk = i.issue_pk and a.extracted_text is not null)
                   end as text
        ) as body
        left join lateral (
            select substr(body.text, greatest(p.pos - 60, 1), p.pos - greatest(p.pos - 60, 1))
                   || chr(2) || substr(body.text, p.pos, length(t.term)) || chr(3)
                   || substr(body.text, p.pos + length(t.term), 120) as snippet
            from unnest(@cjkTerms::text[]) with ordinality as t(term, n)
            cross join lateral (select strpos(body.text, t.term) as pos) as p
            where p.pos > 0
            order by t.n
            limit 1
        ) as cjk on true
        """;

    public sealed class SearchRow
    {
        public long IssuePk { get; set; }
        public string IssueId { get; set; } = "";
        public string Title { get; set; } = "";
        public string? Product { get; set; }
        public string? Status { get; set; }
        public string? Priority { get; set; }
        public DateTime? ModifiedDate { get; set; }
        public string MatchedIn { get; set; } = "title";
        public string? Snippet { get; set; }
        public float Rank { get; set; }

        public SearchHit ToHit() => new(IssueId, Title, Product, Status, Priority, ModifiedDate, Rank, MatchedIn,
            SearchTerms.ToHtml(Snippet));

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{IssueId} {Rank} {MatchedIn}");
    }
}
