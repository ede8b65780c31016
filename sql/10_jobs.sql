-- 10_jobs.sql: bookkeeping of the Jobs service (ImsCrawler.Jobs), see docs/jobs.md.
--
--   job_schedules  each job's schedule and next run, written by the Jobs service on start and
--                  after every run, so the API shows them without sharing its configuration
--   job_requests   "run now": a row inserted here (by the API, the Aspire dashboard or psql) is
--                  announced on channel ims_jobs by a trigger; a Jobs instance claims it once
--   job_runs       one row per run: period, times, status, rows affected, error
--   job_backups    backup files written by the backup job (the API lists them)
--
-- Period keys: a day '2024-03-14' (daily aggregation), a month '2024-03' (monthly aggregation),
-- the scheduled minute '2024-03-17T04:00' in the jobs' time zone for the other jobs.

CREATE TABLE ims.job_schedules (
    job_name     varchar(50) PRIMARY KEY,
    description  text NOT NULL DEFAULT '',
    schedule     varchar(100) NOT NULL,                  -- cron (5 or 6 fields)
    time_zone    varchar(100) NOT NULL,
    period_kind  varchar(10) NOT NULL CHECK (period_kind IN ('day', 'month', 'occurrence')),
    enabled      boolean NOT NULL,
    next_run_at  timestamptz,                            -- NULL when disabled
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text                                    -- host/pid of the Jobs instance
);

COMMENT ON TABLE ims.job_schedules IS 'Schedule and next run of each job, as the running Jobs service configured it';

CREATE TABLE ims.job_requests (
    request_id    bigserial PRIMARY KEY,
    job_name      varchar(50) NOT NULL,
    period_key    varchar(20),                           -- NULL: the job's default period
    requested_by  text NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    picked_at     timestamptz,
    picked_by     text
);

COMMENT ON TABLE ims.job_requests IS 'Run-now requests; picked once by one Jobs instance';

-- The Jobs instances' poll for unclaimed requests.
CREATE INDEX ix_job_requests_pending ON ims.job_requests (request_id) WHERE picked_at IS NULL;

CREATE TABLE ims.job_runs (
    run_id         bigserial PRIMARY KEY,
    job_name       varchar(50) NOT NULL,
    period_key     varchar(20) NOT NULL,
    period_from    timestamptz,
    period_to      timestamptz,
    trigger        varchar(10) NOT NULL CHECK (trigger IN ('schedule', 'catch-up', 'manual')),
    request_id     bigint REFERENCES ims.job_requests (request_id) ON DELETE SET NULL,
    status         varchar(10) NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    rows_affected  bigint,
    error          text,                                 -- failure message, or why it was skipped
    details        jsonb,
    instance       text,
    CHECK ((status = 'running') = (finished_at IS NULL))
);

COMMENT ON TABLE ims.job_runs IS 'One row per job run (scheduled, catch-up or manual)';

-- A period succeeds at most once on the schedule (scheduled and catch-up runs); a manual run
-- (an explicit request) may redo a period and is recorded each time.
CREATE UNIQUE INDEX ux_job_runs_succeeded_period
    ON ims.job_runs (job_name, period_key)
    WHERE status = 'succeeded' AND trigger <> 'manual';

-- A job's runs newest first (GET /api/jobs, /api/jobs/{name}/runs keyset pages).
CREATE INDEX ix_job_runs_job ON ims.job_runs (job_name, run_id DESC);

-- Catch-up: which periods of a job already succeeded.
CREATE INDEX ix_job_runs_job_succeeded ON ims.job_runs (job_name, period_key) WHERE status = 'succeeded';

CREATE TABLE ims.job_backups (
    backup_id       bigserial PRIMARY KEY,
    file_name       text NOT NULL,
    directory       text NOT NULL,
    size_bytes      bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    server_version  text,
    removed_at      timestamptz,                         -- deleted by backup retention
    UNIQUE (directory, file_name)
);

COMMENT ON TABLE ims.job_backups IS 'pg_dump -Fc files written by the backup job; removed_at once retention deleted the file';

-- Announce each new request to listening Jobs instances (delivered on commit).
CREATE OR REPLACE FUNCTION ims.notify_job_requested()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_notify('ims_jobs', 'requested');
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_job_requests_notify AFTER INSERT ON ims.job_requests
    FOR EACH STATEMENT EXECUTE FUNCTION ims.notify_job_requested();

-- Admins (the API's admin endpoints run as ims_admin) read everything and may request runs;
-- readonly users may read the history. The Jobs service acts as the owner.
GRANT SELECT ON ims.job_schedules, ims.job_runs, ims.job_backups, ims.job_requests TO ims_admin, ims_readonly;
GRANT INSERT ON ims.job_requests TO ims_admin;
GRANT USAGE ON SEQUENCE ims.job_requests_request_id_seq TO ims_admin;
