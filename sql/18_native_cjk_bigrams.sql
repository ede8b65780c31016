-- 18_native_cjk_bigrams.sql: the CJK bigram vector built in C where the server has it.
--
-- Building an issue's search document is the main cost of every write to an issue (the API's
-- ingest, the existing crawler's INSERTs, the rebuilds). ~80 % of it is ims.cjk_bigram_vector
-- (sql/14): one SQL row per Korean or Japanese bigram. The optional extension ims_cjk_bigrams
-- (extensions/ims_cjk_bigrams in the repository, `make install` on the database machine) returns
-- the same tsvector from one pass in C, and blanks the CJK runs for the English parser without a
-- regular expression: a ~2 KB mixed-language document is ~3-4x cheaper to build.
--
-- The schema does not depend on it: a stock server (the postgres container image, a managed
-- service) has no such extension, and every function keeps working there with the SQL definitions
-- (ims.cjk_bigram_vector_portable, sql/04's ims.text_search_vector). ims.use_native_cjk_bigrams()
-- defines ims.cjk_bigram_vector and ims.text_search_vector with one or the other:
--   * native when p_enable, the database is UTF8 and the extension is installed on the server
--     (CREATE EXTENSION needs a superuser: the Migrator's login in local mode);
--   * portable otherwise (and with p_enable = false the extension is dropped, e.g. before
--     moving the database to a server without it).
-- Both return identical documents, so switching never needs a rebuild. Run it again as the owner
-- after installing the extension on a database migrated without it, or after restoring a backup
-- onto another server: SELECT ims.use_native_cjk_bigrams();

CREATE OR REPLACE FUNCTION ims.cjk_bigram_vector_portable(p_text text)
RETURNS tsvector
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT coalesce(string_agg(
               '''' || gram || ''':' || least(position, 16383)::text, ' ')::tsvector,
           ''::tsvector)
    FROM (
        -- each character with the next one of its run; a run of one character is its own gram
        SELECT CASE WHEN g.next IS NULL THEN g.c ELSE g.c || g.next END AS gram,
               -- one position per bigram; a gap between runs keeps phrases inside a run
               (row_number() OVER (ORDER BY run.run_no, g.n) + run.run_no)::integer AS position
        FROM regexp_matches(coalesce(p_text, ''), ims.cjk_run_pattern(), 'g')
                 WITH ORDINALITY AS run(match, run_no)
        CROSS JOIN LATERAL (SELECT string_to_array(run.match[1], NULL) AS chars) AS a
        CROSS JOIN LATERAL unnest(a.chars, a.chars[2:]) WITH ORDINALITY AS g(c, next, n)
        WHERE g.next IS NOT NULL OR g.n = 1
    ) AS grams;
$$;

COMMENT ON FUNCTION ims.cjk_bigram_vector_portable(text) IS
    'ims.cjk_bigram_vector in SQL (sql/14): used where the ims_cjk_bigrams extension is not installed';

CREATE OR REPLACE FUNCTION ims.use_native_cjk_bigrams(p_enable boolean DEFAULT true)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    native boolean := p_enable
        AND getdatabaseencoding() = 'UTF8'
        AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'ims_cjk_bigrams');
BEGIN
    IF native THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS ims_cjk_bigrams SCHEMA ims;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'ims_cjk_bigrams is installed but only a superuser can create it here: the CJK bigrams stay in SQL';
            native := false;
        END;
    END IF;

    IF native THEN
        CREATE OR REPLACE FUNCTION ims.cjk_bigram_vector(p_text text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS 'SELECT ims.cjk_bigram_vector_native(coalesce(p_text, ''''))';
        CREATE OR REPLACE FUNCTION ims.text_search_vector(p_text text, p_weight "char")
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $f$
            SELECT setweight(
                to_tsvector('english'::regconfig, ims.cjk_runs_to_spaces_native(coalesce(p_text, '')))
                || ims.cjk_bigram_vector_native(coalesce(p_text, '')),
                p_weight);
        $f$;
    ELSE
        CREATE OR REPLACE FUNCTION ims.cjk_bigram_vector(p_text text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS 'SELECT ims.cjk_bigram_vector_portable(p_text)';
        -- sql/04's definition
        CREATE OR REPLACE FUNCTION ims.text_search_vector(p_text text, p_weight "char")
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $f$
            SELECT setweight(
                to_tsvector('english'::regconfig,
                            regexp_replace(coalesce(p_text, ''), ims.cjk_run_pattern(), ' ', 'g'))
                || ims.cjk_bigram_vector(p_text),
                p_weight);
        $f$;
        IF NOT p_enable THEN
            DROP EXTENSION IF EXISTS ims_cjk_bigrams;
        END IF;
    END IF;
    RETURN native;
END;
$$;

REVOKE EXECUTE ON FUNCTION ims.use_native_cjk_bigrams(boolean) FROM PUBLIC;

COMMENT ON FUNCTION ims.use_native_cjk_bigrams(boolean) IS
    'Defines ims.cjk_bigram_vector and ims.text_search_vector with the ims_cjk_bigrams extension (C) when it is installed, else in SQL; true when native';

SELECT ims.use_native_cjk_bigrams();
