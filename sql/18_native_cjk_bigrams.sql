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
-- (renamed ims.cjk_bigram_vector_portable and ims.text_search_vector_portable). ims.use_native_cjk_bigrams()
-- defines ims.cjk_bigram_vector and ims.text_search_vector with one or the other:
--   * native when p_enable, the database is UTF8 and the extension is installed on the server
--     (CREATE EXTENSION needs a superuser: the Migrator's login in local mode);
--   * portable otherwise (and with p_enable = false the extension is dropped, e.g. before
--     moving the database to a server without it).
-- Both return identical documents, so switching never needs a rebuild. Run it again as the owner
-- after installing the extension on a database migrated without it, or after restoring a backup
-- onto another server: SELECT ims.use_native_cjk_bigrams();

-- The SQL definitions keep their bodies and grants under the names the native switch falls back to;
-- everything that builds a document calls the two names defined below, which use_native_cjk_bigrams
-- points at one or the other.
ALTER FUNCTION ims.cjk_bigram_vector(text) RENAME TO cjk_bigram_vector_portable;
ALTER FUNCTION ims.text_search_vector(text, "char") RENAME TO text_search_vector_portable;

COMMENT ON FUNCTION ims.cjk_bigram_vector_portable(text) IS
    'ims.cjk_bigram_vector in SQL (sql/14): used where the ims_cjk_bigrams extension is not installed';
COMMENT ON FUNCTION ims.text_search_vector_portable(text, "char") IS
    'ims.text_search_vector in SQL (sql/04): used where the ims_cjk_bigrams extension is not installed';

CREATE FUNCTION ims.cjk_bigram_vector(p_text text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS 'SELECT ims.cjk_bigram_vector_portable(p_text)';

CREATE FUNCTION ims.text_search_vector(p_text text, p_weight "char")
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS 'SELECT ims.text_search_vector_portable(p_text, p_weight)';

-- as sql/06 granted the functions these names had
GRANT EXECUTE ON FUNCTION ims.cjk_bigram_vector(text), ims.text_search_vector(text, "char")
    TO ims_admin, ims_user, ims_readonly;

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
        EXCEPTION WHEN OTHERS THEN
            -- not a superuser, or a library built for another server version: the SQL definitions serve
            RAISE WARNING 'ims_cjk_bigrams is installed but could not be created (%): the CJK bigrams stay in SQL', SQLERRM;
            native := false;
        END;
    END IF;

    IF native THEN
        GRANT EXECUTE ON FUNCTION ims.cjk_bigram_vector_native(text), ims.cjk_runs_to_spaces_native(text)
            TO ims_admin, ims_user, ims_readonly;
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
        CREATE OR REPLACE FUNCTION ims.text_search_vector(p_text text, p_weight "char")
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS 'SELECT ims.text_search_vector_portable(p_text, p_weight)';
        IF NOT p_enable THEN
            DROP EXTENSION IF EXISTS ims_cjk_bigrams;
        END IF;
    END IF;
    RAISE NOTICE '%', CASE WHEN native
        THEN 'search documents: CJK bigrams built by the ims_cjk_bigrams extension (C)'
        ELSE 'search documents: CJK bigrams built in SQL (the optional ims_cjk_bigrams extension is not in use; see docs/schema.md)'
    END;
    RETURN native;
END;
$$;

REVOKE EXECUTE ON FUNCTION ims.use_native_cjk_bigrams(boolean) FROM PUBLIC;

COMMENT ON FUNCTION ims.use_native_cjk_bigrams(boolean) IS
    'Defines ims.cjk_bigram_vector and ims.text_search_vector with the ims_cjk_bigrams extension (C) when it is installed, else in SQL; true when native';

SELECT ims.use_native_cjk_bigrams();
