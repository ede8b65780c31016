-- 13_user_issues.sql: each user's distinct crawled issues, kept up to date, so dashboards and
-- statistics read a count instead of de-duplicating all of a user's session links per request
-- (docs/benchmarks.md: that count dominated the dashboard, and RLS on session_issues made it
-- scan every user's links).
--
-- One row per (user, issue) that at least one of the user's sessions links. Statement-level
-- triggers keep it: a new link adds the pair; a removed link (or a deleted session, whose links
-- go by cascade) removes the pairs no remaining link of that user supports. Moving a session to
-- another user or re-pointing a link by UPDATE is not supported by the API and is not followed.

CREATE TABLE ims.user_issues (
    user_id   integer NOT NULL REFERENCES ims.users (user_id) ON DELETE CASCADE,
    issue_pk  bigint NOT NULL,
    PRIMARY KEY (user_id, issue_pk)
);

COMMENT ON TABLE ims.user_issues IS
    'Distinct issues linked to each user''s sessions; maintained by triggers on session_issues and crawl_sessions';

INSERT INTO ims.user_issues (user_id, issue_pk)
SELECT DISTINCT cs.user_id, si.issue_pk
FROM ims.session_issues si
JOIN ims.crawl_sessions cs ON cs.session_id = si.session_id
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION ims.trg_user_issues_from_new_links()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO ims.user_issues (user_id, issue_pk)
    SELECT DISTINCT cs.user_id, n.issue_pk
    FROM new_rows n JOIN ims.crawl_sessions cs ON cs.session_id = n.session_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

-- Removes the given users' pairs that no remaining link supports.
CREATE OR REPLACE FUNCTION ims.prune_user_issues(p_user_ids integer[], p_issue_pks bigint[] DEFAULT NULL)
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM ims.user_issues ui
    WHERE ui.user_id = ANY (p_user_ids)
      AND (p_issue_pks IS NULL OR ui.issue_pk = ANY (p_issue_pks))
      AND NOT EXISTS (SELECT 1 FROM ims.session_issues si
                      JOIN ims.crawl_sessions cs ON cs.session_id = si.session_id
                      WHERE si.issue_pk = ui.issue_pk AND cs.user_id = ui.user_id);
$$;

-- Links removed while their sessions remain (an issue deleted, a link deleted by hand).
-- Links removed by a session's deletion are handled by the crawl_sessions trigger below, since
-- their sessions are gone by the time this one fires.
CREATE OR REPLACE FUNCTION ims.trg_user_issues_from_removed_links()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.prune_user_issues(
        ARRAY(SELECT DISTINCT cs.user_id FROM old_rows o JOIN ims.crawl_sessions cs ON cs.session_id = o.session_id),
        ARRAY(SELECT DISTINCT o.issue_pk FROM old_rows o));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ims.trg_user_issues_from_deleted_sessions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.prune_user_issues(ARRAY(SELECT DISTINCT user_id FROM old_rows));
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_session_issues_user_issues_insert AFTER INSERT ON ims.session_issues
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_user_issues_from_new_links();
CREATE TRIGGER trg_session_issues_user_issues_delete AFTER DELETE ON ims.session_issues
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_user_issues_from_removed_links();
CREATE TRIGGER trg_crawl_sessions_user_issues_delete AFTER DELETE ON ims.crawl_sessions
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_user_issues_from_deleted_sessions();

ALTER TABLE ims.user_issues ENABLE ROW LEVEL SECURITY;
ALTER TABLE ims.user_issues FORCE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON ims.user_issues FOR ALL TO ims_admin USING (true) WITH CHECK (true);
CREATE POLICY readonly_select ON ims.user_issues FOR SELECT TO ims_readonly USING (true);
CREATE POLICY user_own_rows ON ims.user_issues FOR SELECT TO ims_user
    USING (user_id = (SELECT ims.get_current_user_id()));
GRANT SELECT ON ims.user_issues TO ims_admin, ims_user, ims_readonly;
REVOKE EXECUTE ON FUNCTION ims.prune_user_issues(integer[], bigint[]) FROM PUBLIC;

-- get_user_stats and v_user_dashboard read the maintained count (same columns, same order).
CREATE OR REPLACE FUNCTION ims.get_user_stats(p_user_id integer)
RETURNS TABLE (total_sessions bigint, successful_sessions bigint, failed_sessions bigint,
               total_issues_crawled bigint, unique_issues bigint, total_attachments bigint,
               avg_session_duration_sec numeric, last_session_date timestamptz,
               most_used_product varchar)
LANGUAGE sql
STABLE
AS $$
    WITH s AS (
        SELECT cs.status, cs.issues_crawled, cs.attachments_downloaded,
               cs.duration_seconds, cs.started_at, cs.product
        FROM ims.crawl_sessions cs
        WHERE cs.user_id = p_user_id
    )
    SELECT count(*),
           count(*) FILTER (WHERE s.status = 'completed'),
           count(*) FILTER (WHERE s.status = 'failed'),
           coalesce(sum(s.issues_crawled), 0),
           (SELECT count(*) FROM ims.user_issues ui WHERE ui.user_id = p_user_id),
           coalesce(sum(s.attachments_downloaded), 0),
           round(avg(s.duration_seconds), 2),
           max(s.started_at),
           (SELECT s2.product FROM s AS s2 GROUP BY s2.product
             ORDER BY count(*) DESC, s2.product LIMIT 1)
    FROM s;
$$;

CREATE OR REPLACE VIEW ims.v_user_dashboard WITH (security_invoker = true) AS
SELECT u.user_id,
       u.username,
       u.full_name,
       u.department,
       u.role,
       u.is_active,
       u.last_login_at,
       coalesce(s.total_sessions, 0)          AS total_sessions,
       coalesce(s.successful_sessions, 0)     AS successful_sessions,
       coalesce(s.failed_sessions, 0)         AS failed_sessions,
       coalesce(s.running_sessions, 0)        AS running_sessions,
       coalesce(s.total_issues_crawled, 0)    AS total_issues_crawled,
       coalesce(l.unique_issues, 0)           AS unique_issues,
       coalesce(s.total_attachments, 0)       AS total_attachments,
       s.avg_session_duration_sec,
       s.last_session_at,
       coalesce(q.total_searches, 0)          AS total_searches
FROM ims.users u
LEFT JOIN (
    SELECT cs.user_id,
           count(*) AS total_sessions,
           count(*) FILTER (WHERE cs.status = 'completed') AS successful_sessions,
           count(*) FILTER (WHERE cs.status = 'failed') AS failed_sessions,
           count(*) FILTER (WHERE cs.status = 'running') AS running_sessions,
           sum(cs.issues_crawled) AS total_issues_crawled,
           sum(cs.attachments_downloaded) AS total_attachments,
           round(avg(cs.duration_seconds), 2) AS avg_session_duration_sec,
           max(cs.started_at) AS last_session_at
    FROM ims.crawl_sessions cs
    GROUP BY cs.user_id
) AS s ON s.user_id = u.user_id
LEFT JOIN (
    SELECT ui.user_id, count(*) AS unique_issues FROM ims.user_issues ui GROUP BY ui.user_id
) AS l ON l.user_id = u.user_id
LEFT JOIN (
    SELECT sq.user_id, count(*) AS total_searches
    FROM ims.search_queries sq
    GROUP BY sq.user_id
) AS q ON q.user_id = u.user_id;
