using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace ImsCrawler.Api.Search;

/// <summary>Query and filters of one search (dates in UTC).</summary>
public sealed record SearchFilter(
    string Query, string? Product = null, string? Status = null, string? Priority = null,
    DateTime? ModifiedFrom = null, DateTime? ModifiedTo = null);

/// <summary>The keyset position after a hit: its ranking tier (1 title … 4 attachments) and issue_pk.</summary>
public sealed record SearchAfter(int Tier, long IssuePk);

/// <summary>One page of a search: hits, the total (-1 when PostgreSQL refused the query text), and how q was read.</summary>
public sealed record SearchResult(
    IReadOnlyList<SearchQueries.SearchRow> Hits, long Total, bool TotalIsEstimate, SearchInterpretation Interpretation,
    SearchFacets? Facets);

/// <summary>
/// The SQL of search and similar issues (sql/16): ims.interpret_search_query reads q, ims.search_issue_count counts
/// (exact up to <see cref="CountCap"/>), ims.search_issue_page finds the page by tier, and the snippets are made for
/// the page's hits only.
/// </summary>
public static class SearchQueries
{
    public const int CountCap = 10_000;

    // Ranking tiers as reported ranks (ims.search_tier_rank): title, title+description, +comments, +attachments.
    private static readonly float[] TierRanks = [1.0f, 0.4f, 0.2f, 0.1f];

    public static float RankOfTier(int tier) => TierRanks[tier - 1];

    public static int? TierOfRank(float rank)
    {
        var index = Array.IndexOf(TierRanks, rank);
        return index < 0 ? null : index + 1;
    }

    // ts_headline for Latin matches; the marks become <mark> after HTML escaping (SearchTerms.ToHtml).
    private static readonly string HeadlineOptions =
        $"StartSel={SearchTerms.StartMark}, StopSel={SearchTerms.StopMark}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=\" … \"";

    private const string CountSql = """
        select i.query as Query, i.product as Product, i.product_from_query as ProductFromQuery, i.dropped as Dropped,
               c.total as Total, c.is_estimate as IsEstimate, c.facets::text as Facets
        from ims.interpret_search_query(@q, @product) as i
        cross join lateral ims.search_issue_count(ims.parse_search_query(i.query), i.product, @status, @priority,
            @modifiedFrom::timestamptz, @modifiedTo::timestamptz, @cap, @facets) as c
        """;

    private const string PageSql = """
        select p.issue_pk as IssuePk, p.rank as Rank
        from ims.search_issue_page(ims.parse_search_query(@q), @product, @status, @priority,
            @modifiedFrom::timestamptz, @modifiedTo::timestamptz, @afterTier::int, @afterPk::bigint, @take) as p
        """;

    /// <summary>
    /// One page of hits (<paramref name="take"/> rows after <paramref name="after"/>) with snippets, the number of all
    /// matches (-1 when PostgreSQL refused the query text: no hits, and the transaction is aborted), and facets when asked.
    /// </summary>
    public static async Task<SearchResult> SearchAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        SearchFilter filter, SearchAfter? after, int take, bool facets, CancellationToken token)
    {
        var refused = new SearchResult([], -1, false, new SearchInterpretation(filter.Query, filter.Product, false, []), null);
        CountRow count;
        List<(long IssuePk, float Rank)> ranked;
        try
        {
            count = await connection.QuerySingleAsync<CountRow>(new CommandDefinition(CountSql, new
            {
                q = filter.Query, product = filter.Product, status = filter.Status, priority = filter.Priority,
                modifiedFrom = filter.ModifiedFrom, modifiedTo = filter.ModifiedTo, cap = CountCap, facets,
            }, transaction, cancellationToken: token));
            ranked = (await connection.QueryAsync<(long IssuePk, float Rank)>(new CommandDefinition(PageSql, new
            {
                q = count.Query, product = count.Product, status = filter.Status, priority = filter.Priority,
                modifiedFrom = filter.ModifiedFrom, modifiedTo = filter.ModifiedTo, afterTier = after?.Tier, afterPk = after?.IssuePk,
                take,
            }, transaction, cancellationToken: token))).AsList();
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.SyntaxError
                                                      || exception.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            // Defensive: text that the tsquery parser still refuses is "nothing searchable", never a 500. The
            // transaction is aborted now, so -1 tells the caller not to write anything more in it.
            return refused;
        }

        var interpretation = new SearchInterpretation(count.Query, count.Product, count.ProductFromQuery, count.Dropped ?? []);
        var rows = await SnippetsAsync(connection, transaction, count.Query, ranked, token);
        return new SearchResult(rows, count.Total, count.IsEstimate, interpretation, facets ? ToFacets(count.Facets) : null);
    }

    private static async Task<List<SearchRow>> SnippetsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string query, List<(long IssuePk, float Rank)> ranked, CancellationToken token)
    {
        if (ranked.Count == 0)
            return [];
        var snippets = (await connection.QueryAsync<SearchRow>(new CommandDefinition(SnippetSql, new
        {
            q = query,
            pks = ranked.Select(hit => hit.IssuePk).ToArray(),
            cjkTerms = SearchTerms.CjkTerms(query),
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
        return rows;
    }

    private static SearchFacets? ToFacets(string? json)
    {
        if (json is null)
            return new SearchFacets(new Dictionary<string, long>(), new Dictionary<string, long>());
        var counts = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, long>>>(json) ?? [];
        return new SearchFacets(counts.GetValueOrDefault("product"), counts.GetValueOrDefault("status"));
    }

    /// <summary>Up to <paramref name="limit"/> issues like the given one (ims.similar_issues), best first.</summary>
    public static async Task<IReadOnlyList<SearchRow>> SimilarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        long issuePk, int limit, CancellationToken token) =>
        (await connection.QueryAsync<SearchRow>(new CommandDefinition(SimilarSql, new { pk = issuePk, limit, options = HeadlineOptions },
            transaction, cancellationToken: token))).AsList();

    // The shared terms are lexemes already: their OR is the query ts_headline marks in the description (Latin words).
    private const string SimilarSql = """
        select i.issue_pk as IssuePk, i.issue_id as IssueId, i.title as Title, i.product as Product, i.status as Status,
               i.priority as Priority, i.modified_date as ModifiedDate, s.score as Rank,
               case when s.shared && tsvector_to_array(ims.search_title(d.document)) then 'title' else 'description' end as MatchedIn,
               ts_headline('english'::regconfig, left(coalesce(nullif(i.description, ''), i.title), 100000),
                           coalesce(nullif(array_to_string(array(select quote_literal(l) from unnest(s.shared) as l), ' | '), '')::tsquery,
                                    ''::tsquery), @options) as Snippet
        from ims.similar_issues(@pk, @limit) as s
        join ims.issues i on i.issue_pk = s.issue_pk
        join ims.issue_search_documents d on d.issue_pk = s.issue_pk
        order by s.score desc, s.issue_pk desc
        """;

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

    private sealed class CountRow
    {
        public string Query { get; set; } = "";
        public string? Product { get; set; }
        public bool ProductFromQuery { get; set; }
        public string[]? Dropped { get; set; }
        public long Total { get; set; }
        public bool IsEstimate { get; set; }
        public string? Facets { get; set; }
    }

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
