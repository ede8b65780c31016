-- 11_read_path.sql: what the API's read path (search, issues, dashboards) needs beyond 01..10.
--
-- ims.record_search: every GET /api/search is recorded in ims.search_queries (who, what, which
-- product, how many results) in the request's own transaction. ims_readonly writes nothing by
-- design (06), yet analysts search too and their searches belong in the usage figures. This
-- SECURITY DEFINER function is the one narrow exception: it inserts exactly one row, always for
-- the transaction's RLS user (ims.get_current_user_id(), never an argument), so nobody can record
-- a search in someone else's name, and it cannot touch any other row. It pins search_path.
CREATE OR REPLACE FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    the_user integer := ims.get_current_user_id();
    new_id   bigint;
BEGIN
    IF the_user IS NULL THEN
        RAISE EXCEPTION 'record_search: no current user (ims.set_current_user was not called)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO ims.search_queries (user_id, original_query, parsed_query, product, results_count, parsing_method)
    VALUES (the_user, p_query, ims.parse_search_query(p_query)::text, left(nullif(btrim(p_product), ''), 100),
            p_results_count, 'api_search')
    RETURNING query_id INTO new_id;
    RETURN new_id;
END;
$$;

REVOKE EXECUTE ON FUNCTION ims.record_search(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ims.record_search(text, text, integer) TO ims_admin, ims_user, ims_readonly;

COMMENT ON FUNCTION ims.record_search(text, text, integer) IS
    'Records one API search for the current RLS user (also for ims_readonly, which has no INSERT on search_queries)';
