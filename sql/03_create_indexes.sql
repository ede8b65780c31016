-- 03_create_indexes.sql: lean indexes, each serving a query that exists.
--
-- Every index costs every write (ingest is index-bound), so:
--   * nothing duplicates a PRIMARY KEY or UNIQUE constraint (users.username, issues.issue_id,
--     crawl_sessions.session_uuid, session_issues(session_id, issue_pk), analytics_daily
--     (user_id, stat_date) and analytics_monthly (user_id, year, month) are already indexed);
--   * no GIN over all of issues.full_data (it is stored, not queried);
--   * date filters use ranges on the timestamptz column (started_at >= a AND started_at < b),
--     which a plain btree serves; DATE(timestamptz) is not immutable and cannot be indexed.

-- A user's sessions, newest first: session lists, dashboards, get_user_stats, retention.
CREATE INDEX ix_crawl_sessions_user_started ON ims.crawl_sessions (user_id, started_at DESC);
-- Sessions of one day or month across users: aggregate_daily_stats / aggregate_monthly_stats.
CREATE INDEX ix_crawl_sessions_started ON ims.crawl_sessions (started_at);

-- The sessions that crawled an issue; also the foreign key's cascade from issues.
CREATE INDEX ix_session_issues_issue ON ims.session_issues (issue_pk);

-- An issue's comments and history in order; also their foreign keys' cascades.
CREATE INDEX ix_issue_comments_issue ON ims.issue_comments (issue_pk, comment_number);
CREATE INDEX ix_issue_history_issue ON ims.issue_history (issue_pk, changed_at);

-- An issue's attachments; the session's attachments (ON DELETE SET NULL needs it).
CREATE INDEX ix_attachments_issue ON ims.attachments (issue_pk);
CREATE INDEX ix_attachments_session ON ims.attachments (session_id) WHERE session_id IS NOT NULL;

-- A user's recent searches; a session's searches (cascade).
CREATE INDEX ix_search_queries_user_time ON ims.search_queries (user_id, queried_at DESC);
CREATE INDEX ix_search_queries_session ON ims.search_queries (session_id) WHERE session_id IS NOT NULL;

-- A session's errors (detail view, cascade).
CREATE INDEX ix_session_errors_session ON ims.session_errors (session_id);

-- Analytics over a date range for all users (analysts).
CREATE INDEX ix_analytics_daily_date ON ims.analytics_daily (stat_date);

-- A user's audit trail, newest first; the whole trail by time (admins).
CREATE INDEX ix_audit_log_user_time ON ims.audit_log (user_id, created_at DESC);
CREATE INDEX ix_audit_log_time ON ims.audit_log (created_at);

-- Full-text search over title, description, comments and attachment text (search_issues).
CREATE INDEX ix_issue_search_documents_document ON ims.issue_search_documents USING gin (document);
