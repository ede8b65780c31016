-- 17_service_logins.sql: the services log in as roles of their own that see nothing by themselves.
--
--   ims_api_login   the Api. NOINHERIT: outside a request's transaction it has no table rights at
--                   all; each request runs `SET LOCAL ROLE ims_admin | ims_user | ims_readonly`.
--                   Before it knows the user it may only call ims.authenticate_api_key and
--                   ims.migration_status (SECURITY DEFINER, search_path pinned).
--   ims_jobs        what the Jobs service does: ims_admin's rights on the data (aggregation,
--                   retention, refresh through SECURITY DEFINER functions) plus its own tables.
--   ims_jobs_login  the Jobs service. NOINHERIT; the Migrator sets `role = ims_jobs` as its login
--                   default in this database, so every connection starts as ims_jobs.
--
-- The logins are created NOLOGIN without a password: the Migrator enables them with the passwords
-- it is given (AppHost parameters api-db-password / jobs-db-password; --api-password and
-- --jobs-password by hand). Nobody but the owner can change the schema, the migration journal or
-- row-level security, or switch to the owner. Roles are cluster-wide: created only when missing.

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['ims_jobs', 'ims_api_login', 'ims_jobs_login'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', role_name);
        END IF;
    END LOOP;
END;
$$;

-- ims_jobs uses the rights of ims_admin without switching (it is the role a jobs connection runs as).
ALTER ROLE ims_jobs INHERIT;
GRANT ims_admin TO ims_jobs;
GRANT ims_admin, ims_user, ims_readonly TO ims_api_login;
GRANT ims_jobs TO ims_jobs_login;
-- Only to name ims.authenticate_api_key and ims.migration_status: USAGE grants no table rights.
GRANT USAGE ON SCHEMA ims TO ims_api_login;

GRANT SELECT, INSERT, UPDATE, DELETE ON ims.job_runs, ims.job_schedules, ims.job_backups, ims.job_requests TO ims_jobs;
DO $$
DECLARE
    seq regclass;
BEGIN
    FOR seq IN
        SELECT c.oid::regclass FROM pg_catalog.pg_class c
        WHERE c.relkind = 'S' AND c.relnamespace = 'ims'::regnamespace AND c.relname LIKE 'job\_%'
    LOOP
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON SEQUENCE %s TO ims_jobs', seq);
    END LOOP;
END;
$$;

-- Backups (pg_dump as ims_jobs, with row security on) read every table and sequence, and the journal.
GRANT SELECT ON ALL TABLES IN SCHEMA ims TO ims_jobs;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA ims TO ims_jobs;
ALTER DEFAULT PRIVILEGES IN SCHEMA ims GRANT SELECT ON TABLES TO ims_jobs;
ALTER DEFAULT PRIVILEGES IN SCHEMA ims GRANT SELECT ON SEQUENCES TO ims_jobs;
DO $$
BEGIN
    -- Administrators see the journal (GET /api/admin/migrations); nobody but the owner writes it.
    IF to_regclass('migrator.applied_scripts') IS NOT NULL THEN
        GRANT USAGE ON SCHEMA migrator TO ims_admin, ims_jobs;
        GRANT SELECT ON migrator.applied_scripts TO ims_admin, ims_jobs;
    END IF;
END;
$$;

-- Monitoring (ims_admin): other sessions' activity and pg_stat_statements' query texts. Granting a
-- built-in role needs a superuser or its admin option; where the owner has neither, the monitoring
-- endpoints show less and say so.
DO $$
BEGIN
    GRANT pg_monitor TO ims_admin;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_monitor could not be granted to ims_admin (%); the admin monitoring endpoints will see only their own sessions', SQLERRM;
END;
$$;

-- Authentication: one round trip that finds a key by its SHA-256 and its user, and touches
-- last_used_at at most once a minute (a data-modifying CTE always runs; the row lock makes
-- concurrent requests touch it once). The only thing the Api does before it knows who calls.
CREATE OR REPLACE FUNCTION ims.authenticate_api_key(p_key_hash bytea)
RETURNS TABLE (key_id bigint, revoked boolean, user_id integer, username varchar, role varchar, is_active boolean)
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH found AS (
        SELECT k.key_id, k.revoked_at, u.user_id, u.username, u.role, coalesce(u.is_active, false) AS is_active
        FROM ims.api_keys k
        JOIN ims.users u ON u.user_id = k.user_id
        WHERE k.key_hash = p_key_hash
    ), touched AS (
        UPDATE ims.api_keys k SET last_used_at = now()
        FROM found f
        WHERE k.key_id = f.key_id AND f.revoked_at IS NULL AND f.is_active
          AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
        RETURNING k.key_id
    )
    SELECT f.key_id, f.revoked_at IS NOT NULL, f.user_id, f.username, coalesce(f.role, ''), f.is_active
    FROM found f;
$$;

-- The migration journal, for /api/status; plpgsql so that the script also runs where no Migrator
-- made the journal (the scripts applied by hand with psql).
CREATE OR REPLACE FUNCTION ims.migration_status()
RETURNS TABLE (applied_count bigint, latest_script text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF to_regclass('migrator.applied_scripts') IS NULL THEN
        RETURN QUERY SELECT 0::bigint, NULL::text;
        RETURN;
    END IF;
    RETURN QUERY EXECUTE
        'SELECT count(*), (SELECT script_name::text FROM migrator.applied_scripts
                           ORDER BY applied_at DESC, script_name DESC LIMIT 1)
         FROM migrator.applied_scripts';
END;
$$;

REVOKE EXECUTE ON FUNCTION ims.authenticate_api_key(bytea), ims.migration_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ims.authenticate_api_key(bytea), ims.migration_status() TO ims_api_login, ims_admin;
