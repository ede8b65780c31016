-- 12_search_documents_once_per_transaction.sql: rebuild each search document once per
-- transaction instead of once per statement.
--
-- 04's statement triggers rebuilt an issue's document after the statement on issues, again after
-- the one on its comments and again after its attachments: an ingest batch paid for three
-- rebuilds, which the ingest benchmark showed to dominate (docs/benchmarks.md). Now the statement
-- triggers only note the touched issues in ims.issue_search_pending, and a deferred constraint
-- trigger rebuilds all of them once, at commit, set-based.
--
-- The pending rows never outlive their transaction (the flush deletes them before commit), so
-- the table is unlogged and concurrent transactions never see each other's rows. Inside an open
-- transaction a search does not yet see that transaction's own new text; other sessions see it
-- from the commit on, as before.

CREATE UNLOGGED TABLE ims.issue_search_pending (
    issue_pk bigint NOT NULL
);

COMMENT ON TABLE ims.issue_search_pending IS
    'Issues whose search document the current transaction must rebuild at commit; always empty outside a transaction';

-- Notes the issues a statement touched; the first note of a transaction (or after a flush)
-- re-arms the flush.
CREATE OR REPLACE FUNCTION ims.note_issue_search_pending(p_issue_pks bigint[])
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO ims.issue_search_pending (issue_pk) SELECT DISTINCT unnest(p_issue_pks);
    SELECT set_config('ims.issue_search_flushed', '', true);
$$;

CREATE OR REPLACE FUNCTION ims.trg_issue_search_from_new_rows()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.note_issue_search_pending(ARRAY(SELECT issue_pk FROM new_rows));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ims.trg_issue_search_from_old_rows()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.note_issue_search_pending(ARRAY(SELECT issue_pk FROM old_rows));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ims.trg_issue_search_from_changed_rows()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.note_issue_search_pending(ARRAY(
        SELECT issue_pk FROM new_rows UNION SELECT issue_pk FROM old_rows));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ims.trg_issue_search_from_issue_update()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.note_issue_search_pending(ARRAY(
        SELECT n.issue_pk FROM new_rows n JOIN old_rows o ON o.issue_pk = n.issue_pk
        WHERE (n.title, n.description) IS DISTINCT FROM (o.title, o.description)));
    RETURN NULL;
END;
$$;

-- Fires once per pending row at commit; the first firing rebuilds every pending document and the
-- rest return at once.
CREATE OR REPLACE FUNCTION ims.trg_flush_issue_search_pending()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('ims.issue_search_flushed', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM ims.refresh_issue_search_documents(ARRAY(SELECT DISTINCT issue_pk FROM ims.issue_search_pending));
    DELETE FROM ims.issue_search_pending;
    PERFORM set_config('ims.issue_search_flushed', 'yes', true);
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER trg_issue_search_pending_flush
    AFTER INSERT ON ims.issue_search_pending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ims.trg_flush_issue_search_pending();

REVOKE ALL ON ims.issue_search_pending FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ims.note_issue_search_pending(bigint[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ims.trg_flush_issue_search_pending() FROM PUBLIC;
GRANT SELECT ON ims.issue_search_pending TO ims_admin, ims_readonly;
