-- 02_create_database_schema.sql: the `ims` schema and its 12 tables.
--
-- Run inside the target database (the Migrator creates `ims_crawler` when it is missing;
-- by hand: `createdb ims_crawler`). Names, types and check sets are a compatibility
-- contract with the existing Python crawler: add columns, never rename or tighten them.
-- Every object is schema-qualified, so the script does not depend on search_path.

CREATE SCHEMA IF NOT EXISTS ims;

COMMENT ON SCHEMA ims IS 'IMS Crawler metadata: crawl sessions, deduplicated issues, analytics, audit trail';

-- 1. users ------------------------------------------------------------------------------
CREATE TABLE ims.users (
    user_id        serial PRIMARY KEY,
    username       varchar(100) NOT NULL UNIQUE,
    email          varchar(255),
    full_name      varchar(200),
    department     varchar(100),
    role           varchar(50) DEFAULT 'user' CHECK (role IN ('admin', 'user', 'readonly')),
    is_active      boolean DEFAULT true,
    preferences    jsonb DEFAULT '{}'::jsonb,
    created_at     timestamptz DEFAULT now(),
    updated_at     timestamptz DEFAULT now(),
    last_login_at  timestamptz
);

-- 2. crawl_sessions -------------------------------------------------------------------------
CREATE TABLE ims.crawl_sessions (
    session_id              bigserial PRIMARY KEY,
    session_uuid            varchar(100) NOT NULL UNIQUE,
    user_id                 integer NOT NULL REFERENCES ims.users (user_id) ON DELETE CASCADE,
    product                 varchar(100) NOT NULL,
    original_query          text NOT NULL,
    parsed_query            text NOT NULL,
    query_language          varchar(10) DEFAULT 'en',
    max_results             integer DEFAULT 100,
    crawl_related           boolean DEFAULT false,
    status                  varchar(20) DEFAULT 'running'
                            CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    started_at              timestamptz NOT NULL DEFAULT now(),
    completed_at            timestamptz,
    duration_seconds        integer,
    total_issues_found      integer DEFAULT 0,
    issues_crawled          integer DEFAULT 0,
    attachments_downloaded  integer DEFAULT 0,
    failed_issues           integer DEFAULT 0,
    related_issues          integer DEFAULT 0,
    search_time_ms          integer,
    crawl_time_ms           integer,
    avg_issue_time_ms       integer,
    parallel_workers        integer DEFAULT 1,
    data_path               text,
    metadata                jsonb DEFAULT '{}'::jsonb,
    created_at              timestamptz DEFAULT now(),
    updated_at              timestamptz DEFAULT now()
);

-- 3. issues (shared by all users: one IMS issue, many crawls) -------------------------------
CREATE TABLE ims.issues (
    issue_pk          bigserial PRIMARY KEY,
    issue_id          varchar(50) NOT NULL UNIQUE,
    title             text NOT NULL,
    description       text,
    product           varchar(100),
    status            varchar(50),
    priority          varchar(20),
    severity          varchar(20),
    issue_type        varchar(50),
    reporter          varchar(100),
    owner             varchar(100),
    manager           varchar(100),
    registered_date   timestamptz,
    modified_date     timestamptz,
    closed_date       timestamptz,
    project_code      varchar(100),
    project_name      varchar(200),
    site              varchar(100),
    customer          varchar(200),
    found_version     varchar(100),
    fixed_version     varchar(100),
    target_version    varchar(100),
    full_data         jsonb,
    first_crawled_at  timestamptz DEFAULT now(),
    last_crawled_at   timestamptz DEFAULT now(),
    crawl_count       integer DEFAULT 1,
    created_at        timestamptz DEFAULT now(),
    updated_at        timestamptz DEFAULT now()
);

-- 4. session_issues -------------------------------------------------------------------------
CREATE TABLE ims.session_issues (
    session_issue_id   bigserial PRIMARY KEY,
    session_id         bigint NOT NULL REFERENCES ims.crawl_sessions (session_id) ON DELETE CASCADE,
    issue_pk           bigint NOT NULL REFERENCES ims.issues (issue_pk) ON DELETE CASCADE,
    crawl_order        integer,          -- NULL for related issues
    crawl_duration_ms  integer,
    had_errors         boolean DEFAULT false,
    error_message      text,
    created_at         timestamptz DEFAULT now(),
    UNIQUE (session_id, issue_pk)
);

-- 5. issue_comments (IMS "actions") -----------------------------------------------------------
CREATE TABLE ims.issue_comments (
    comment_id      bigserial PRIMARY KEY,
    issue_pk        bigint NOT NULL REFERENCES ims.issues (issue_pk) ON DELETE CASCADE,
    comment_number  integer,
    author          varchar(100),
    content         text,
    commented_at    timestamptz,
    created_at      timestamptz DEFAULT now()
);

-- 6. issue_history ----------------------------------------------------------------------------
CREATE TABLE ims.issue_history (
    history_id   bigserial PRIMARY KEY,
    issue_pk     bigint NOT NULL REFERENCES ims.issues (issue_pk) ON DELETE CASCADE,
    changed_by   varchar(100),
    changed_at   timestamptz,
    change_type  varchar(50),
    field_name   varchar(100),
    old_value    text,
    new_value    text,
    description  text,
    created_at   timestamptz DEFAULT now()
);

-- 7. attachments ------------------------------------------------------------------------------
CREATE TABLE ims.attachments (
    attachment_id   bigserial PRIMARY KEY,
    issue_pk        bigint NOT NULL REFERENCES ims.issues (issue_pk) ON DELETE CASCADE,
    session_id      bigint REFERENCES ims.crawl_sessions (session_id) ON DELETE SET NULL,
    filename        varchar(500) NOT NULL,
    file_type       varchar(100),
    file_size       bigint,
    file_path       text,
    download_url    text,
    downloaded      boolean DEFAULT false,
    download_error  text,
    extracted_text  text,
    text_extracted  boolean DEFAULT false,
    created_at      timestamptz DEFAULT now()
);

-- 8. search_queries ---------------------------------------------------------------------------
CREATE TABLE ims.search_queries (
    query_id            bigserial PRIMARY KEY,
    user_id             integer NOT NULL REFERENCES ims.users (user_id) ON DELETE CASCADE,
    session_id          bigint REFERENCES ims.crawl_sessions (session_id) ON DELETE CASCADE,
    original_query      text NOT NULL,
    parsed_query        text,
    query_language      varchar(10),
    product             varchar(100),
    results_count       integer,
    parsing_method      varchar(50),
    parsing_confidence  numeric(5,2),
    synonym_expanded    boolean DEFAULT false,
    intent_filtered     boolean DEFAULT false,
    queried_at          timestamptz DEFAULT now()
);

-- 9. session_errors ---------------------------------------------------------------------------
CREATE TABLE ims.session_errors (
    error_id       bigserial PRIMARY KEY,
    session_id     bigint NOT NULL REFERENCES ims.crawl_sessions (session_id) ON DELETE CASCADE,
    error_type     varchar(50),
    severity       varchar(20) CHECK (severity IN ('error', 'warning', 'info')),
    error_message  text,
    error_detail   jsonb,
    occurred_at    timestamptz DEFAULT now()
);

-- 10. analytics_daily -------------------------------------------------------------------------
CREATE TABLE ims.analytics_daily (
    stat_id                   bigserial PRIMARY KEY,
    user_id                   integer REFERENCES ims.users (user_id) ON DELETE CASCADE,
    stat_date                 date NOT NULL,
    sessions_count            integer DEFAULT 0,
    successful_sessions       integer DEFAULT 0,
    failed_sessions           integer DEFAULT 0,
    issues_crawled            integer DEFAULT 0,
    unique_issues             integer DEFAULT 0,
    new_issues                integer DEFAULT 0,
    attachments_downloaded    integer DEFAULT 0,
    avg_session_duration_sec  integer,
    avg_issues_per_session    numeric(10,2),
    product_stats             jsonb DEFAULT '{}'::jsonb,
    top_queries               jsonb DEFAULT '[]'::jsonb,
    created_at                timestamptz DEFAULT now(),
    UNIQUE (user_id, stat_date)
);

-- 11. analytics_monthly -----------------------------------------------------------------------
CREATE TABLE ims.analytics_monthly (
    stat_id                 bigserial PRIMARY KEY,
    user_id                 integer REFERENCES ims.users (user_id) ON DELETE CASCADE,
    year                    integer NOT NULL,
    month                   integer NOT NULL CHECK (month BETWEEN 1 AND 12),
    total_sessions          integer DEFAULT 0,
    avg_sessions_per_day    numeric(10,2),
    total_issues_crawled    integer DEFAULT 0,
    unique_issues           integer DEFAULT 0,
    keyword_trends          jsonb DEFAULT '{}'::jsonb,
    product_distribution    jsonb DEFAULT '{}'::jsonb,
    issue_status_breakdown  jsonb DEFAULT '{}'::jsonb,
    avg_parsing_confidence  numeric(5,2),
    synonym_expansion_rate  numeric(5,2),
    created_at              timestamptz DEFAULT now(),
    UNIQUE (user_id, year, month)
);

-- 12. audit_log -------------------------------------------------------------------------------
CREATE TABLE ims.audit_log (
    log_id         bigserial PRIMARY KEY,
    user_id        integer REFERENCES ims.users (user_id) ON DELETE SET NULL,
    action         varchar(100) NOT NULL,
    resource_type  varchar(50),
    resource_id    varchar(100),
    old_value      jsonb,
    new_value      jsonb,
    ip_address     inet,
    user_agent     text,
    created_at     timestamptz DEFAULT now()
);

-- Search support (not one of the 12 contract tables) --------------------------------------
-- One weighted full-text document per issue, built from its title (A), description (B),
-- comments (C) and attachment text (D) by the triggers in 04. Kept apart from ims.issues so
-- that refreshing a document never rewrites the wide issue row, and so one GIN index covers
-- all four sources.
CREATE TABLE ims.issue_search_documents (
    issue_pk    bigint PRIMARY KEY REFERENCES ims.issues (issue_pk) ON DELETE CASCADE,
    document    tsvector NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE ims.issue_search_documents IS
    'Full-text document per issue (title A, description B, comments C, attachment text D); maintained by triggers, never written directly';
