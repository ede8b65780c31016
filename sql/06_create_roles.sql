-- 06_create_roles.sql: roles, grants and row-level security.
--
-- ims_admin:    everything, no RLS restriction.
-- ims_user:     reads and writes its own data (RLS), shared issues and their comments/history.
-- ims_readonly: reads everything, writes nothing.
-- The three are group roles (NOLOGIN): an application logs in with its own role and, per
-- transaction, runs `SET LOCAL ROLE ims_user` and `SELECT ims.set_current_user(<id>)`.
-- Roles are cluster-wide, so they are created only when missing.

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['ims_admin', 'ims_user', 'ims_readonly'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
        END IF;
    END LOOP;
END;
$$;

-- The role applying these scripts owns the objects and, through ims_admin's policies, keeps
-- seeing every row even though RLS is forced on the owner too. It may also switch to the three
-- roles (SET ROLE), which is how the API and the tests act as a user.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT ims_admin, ims_user, ims_readonly TO %I', current_user);
    END IF;
END;
$$;

-- Schema and table privileges ---------------------------------------------------------------
REVOKE ALL ON SCHEMA ims FROM PUBLIC;
GRANT USAGE ON SCHEMA ims TO ims_admin, ims_user, ims_readonly;

GRANT ALL ON ALL TABLES IN SCHEMA ims TO ims_admin;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ims TO ims_admin;

GRANT SELECT ON ALL TABLES IN SCHEMA ims TO ims_readonly;

-- ims_user: what the crawler and an engineer need.
GRANT SELECT ON ALL TABLES IN SCHEMA ims TO ims_user;
REVOKE SELECT ON ims.mv_daily_session_summary FROM ims_user;   -- per-user rows, no RLS on MVs
GRANT UPDATE (email, full_name, department, preferences, last_login_at) ON ims.users TO ims_user;
GRANT INSERT, UPDATE, DELETE ON ims.crawl_sessions, ims.session_issues, ims.session_errors,
      ims.attachments, ims.search_queries, ims.analytics_daily, ims.analytics_monthly TO ims_user;
GRANT INSERT, UPDATE ON ims.issues TO ims_user;
GRANT INSERT, UPDATE, DELETE ON ims.issue_comments, ims.issue_history TO ims_user;
GRANT INSERT ON ims.audit_log TO ims_user;   -- the audit trail is append-only for users
GRANT USAGE ON ALL SEQUENCES IN SCHEMA ims TO ims_user;
REVOKE ALL ON ims.issue_search_documents FROM ims_user;   -- written by triggers only
GRANT SELECT ON ims.issue_search_documents TO ims_user;

-- Functions: nothing for PUBLIC, each role what it needs -----------------------------------
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ims FROM PUBLIC;
-- Per-schema default privileges can only add to the global ones, so the revoke for functions
-- this role creates later (08_*.sql, ...) has to be the global one.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ims TO ims_admin;

GRANT EXECUTE ON FUNCTION
    ims.get_current_user_id(),
    ims.set_current_user(integer),
    ims.stats_time_zone(),
    ims.is_closed_status(text),
    ims.product_in_family(text, text),
    ims.previous_month(date),
    ims.cjk_run_pattern(),
    ims.cjk_bigram_vector(text),
    ims.text_search_vector(text, "char"),
    ims.cjk_run_query(text),
    ims.search_term_query(text, boolean),
    ims.parse_search_query(text),
    ims.search_issues(text, varchar, integer),
    ims.get_user_stats(integer)
TO ims_user, ims_readonly;

GRANT EXECUTE ON FUNCTION
    ims.upsert_issue(varchar, text, text, varchar, varchar, jsonb),
    ims.delete_old_sessions(integer, integer)
TO ims_user;

-- Row-level security ----------------------------------------------------------------------
-- Enabled and forced on every table that belongs to one user. The user is read once per
-- statement through a scalar subquery; when it is unset the policies match nothing.
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['users', 'crawl_sessions', 'session_issues', 'session_errors',
                                      'attachments', 'search_queries', 'analytics_daily',
                                      'analytics_monthly', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE ims.%I ENABLE ROW LEVEL SECURITY', table_name);
        EXECUTE format('ALTER TABLE ims.%I FORCE ROW LEVEL SECURITY', table_name);
        EXECUTE format('CREATE POLICY admin_all ON ims.%I FOR ALL TO ims_admin USING (true) WITH CHECK (true)', table_name);
        EXECUTE format('CREATE POLICY readonly_select ON ims.%I FOR SELECT TO ims_readonly USING (true)', table_name);
    END LOOP;
END;
$$;

-- Tables with a user_id of their own.
CREATE POLICY user_own_row ON ims.users FOR ALL TO ims_user
    USING (user_id = (SELECT ims.get_current_user_id()))
    WITH CHECK (user_id = (SELECT ims.get_current_user_id()));

CREATE POLICY user_own_rows ON ims.crawl_sessions FOR ALL TO ims_user
    USING (user_id = (SELECT ims.get_current_user_id()))
    WITH CHECK (user_id = (SELECT ims.get_current_user_id()));

CREATE POLICY user_own_rows ON ims.search_queries FOR ALL TO ims_user
    USING (user_id = (SELECT ims.get_current_user_id()))
    WITH CHECK (user_id = (SELECT ims.get_current_user_id()));

CREATE POLICY user_own_rows ON ims.analytics_daily FOR ALL TO ims_user
    USING (user_id = (SELECT ims.get_current_user_id()))
    WITH CHECK (user_id = (SELECT ims.get_current_user_id()));

CREATE POLICY user_own_rows ON ims.analytics_monthly FOR ALL TO ims_user
    USING (user_id = (SELECT ims.get_current_user_id()))
    WITH CHECK (user_id = (SELECT ims.get_current_user_id()));

CREATE POLICY user_own_rows ON ims.audit_log FOR ALL TO ims_user
    USING (user_id = (SELECT ims.get_current_user_id()))
    WITH CHECK (user_id = (SELECT ims.get_current_user_id()));

-- Tables that belong to a user through their session. The subquery on crawl_sessions is
-- itself filtered by that table's policy.
CREATE POLICY user_own_rows ON ims.session_issues FOR ALL TO ims_user
    USING (session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                          WHERE cs.user_id = (SELECT ims.get_current_user_id())))
    WITH CHECK (session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                               WHERE cs.user_id = (SELECT ims.get_current_user_id())));

CREATE POLICY user_own_rows ON ims.session_errors FOR ALL TO ims_user
    USING (session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                          WHERE cs.user_id = (SELECT ims.get_current_user_id())))
    WITH CHECK (session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                               WHERE cs.user_id = (SELECT ims.get_current_user_id())));

-- Attachments are IMS content of a shared issue; the session that downloaded one belongs to a
-- user. A user (once set) reads the attachments of its own sessions and those no session holds
-- (never linked, or the session was deleted); it writes only those of its own sessions.
CREATE POLICY user_read_rows ON ims.attachments FOR SELECT TO ims_user
    USING ((SELECT ims.get_current_user_id()) IS NOT NULL
           AND (session_id IS NULL
                OR session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                                  WHERE cs.user_id = (SELECT ims.get_current_user_id()))));

CREATE POLICY user_insert_rows ON ims.attachments FOR INSERT TO ims_user
    WITH CHECK (session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                               WHERE cs.user_id = (SELECT ims.get_current_user_id())));

CREATE POLICY user_update_rows ON ims.attachments FOR UPDATE TO ims_user
    USING (session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                          WHERE cs.user_id = (SELECT ims.get_current_user_id())))
    WITH CHECK (session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                               WHERE cs.user_id = (SELECT ims.get_current_user_id())));

CREATE POLICY user_delete_rows ON ims.attachments FOR DELETE TO ims_user
    USING (session_id IN (SELECT cs.session_id FROM ims.crawl_sessions cs
                          WHERE cs.user_id = (SELECT ims.get_current_user_id())));

-- Materialized views: per-user summary for admins and analysts; issue trends for everyone.
GRANT SELECT ON ims.mv_daily_session_summary TO ims_admin, ims_readonly;
GRANT SELECT ON ims.mv_issue_trends TO ims_admin, ims_readonly, ims_user;
