namespace ImsCrawler.TestSupport;

/// <summary>
/// sql/04's search-document build, verbatim, as session-local functions <c>pg_temp.old_cjk_bigram_vector</c> and
/// <c>pg_temp.old_text_search_vector</c>: the reference later scripts may make cheaper but never different
/// (the search tests compare vectors with it, the benchmarks time against it).
/// </summary>
public static class ReferenceDocumentBuild
{
    public const string CreateFunctions = """
        CREATE FUNCTION pg_temp.old_cjk_bigram_vector(p_text text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
            SELECT coalesce(string_agg('''' || gram || ''':' || least(position, 16383)::text, ' ')::tsvector, ''::tsvector)
            FROM (
                SELECT CASE WHEN length(run.match[1]) = 1 THEN run.match[1] ELSE substr(run.match[1], i, 2) END AS gram,
                       (row_number() OVER (ORDER BY run.run_no, i) + run.run_no)::integer AS position
                FROM regexp_matches(coalesce(p_text, ''), ims.cjk_run_pattern(), 'g') WITH ORDINALITY AS run(match, run_no)
                CROSS JOIN LATERAL generate_series(1, greatest(length(run.match[1]) - 1, 1)) AS i
            ) AS grams;
        $$;
        CREATE FUNCTION pg_temp.old_text_search_vector(p_text text, p_weight "char") RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
            SELECT setweight(
                to_tsvector('english'::regconfig, regexp_replace(coalesce(p_text, ''), ims.cjk_run_pattern(), ' ', 'g'))
                || pg_temp.old_cjk_bigram_vector(p_text),
                p_weight);
        $$;
        """;
}
