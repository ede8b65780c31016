-- 05_create_views.sql: summaries for dashboards, detail pages and analytics.
--
-- Regular views run with the caller's rights (security_invoker), so row-level security
-- applies through them. Figures are aggregated in subqueries, one level per table, so a
-- session with many linked issues is still counted once.

-- Per user: sessions, issues and timing figures.
CREATE VIEW ims.v_user_dashboard WITH (security_invoker = true) AS
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
    SELECT cs.user_id, count(DISTINCT si.issue_pk) AS unique_issues
    FROM ims.session_issues si
    JOIN ims.crawl_sessions cs ON cs.session_id = si.session_id
    GROUP BY cs.user_id
) AS l ON l.user_id = u.user_id
LEFT JOIN (
    SELECT sq.user_id, count(*) AS total_searches
    FROM ims.search_queries sq
    GROUP BY sq.user_id
) AS q ON q.user_id = u.user_id;

-- Per session: the session, its owner and counts of what it produced.
CREATE VIEW ims.v_session_detail WITH (security_invoker = true) AS
SELECT cs.session_id,
       cs.session_uuid,
       cs.user_id,
       u.username,
       cs.product,
       cs.original_query,
       cs.parsed_query,
       cs.query_language,
       cs.max_results,
       cs.crawl_related,
       cs.status,
       cs.started_at,
       cs.completed_at,
       cs.duration_seconds,
       cs.total_issues_found,
       cs.issues_crawled,
       cs.attachments_downloaded,
       cs.failed_issues,
       cs.related_issues,
       cs.search_time_ms,
       cs.crawl_time_ms,
       cs.avg_issue_time_ms,
       cs.parallel_workers,
       cs.data_path,
       cs.metadata,
       coalesce(li.linked_issues, 0)   AS linked_issues,
       coalesce(li.issues_with_errors, 0) AS issues_with_errors,
       coalesce(e.error_count, 0)      AS error_count,
       coalesce(a.attachment_count, 0) AS attachment_count
FROM ims.crawl_sessions cs
LEFT JOIN ims.users u ON u.user_id = cs.user_id
LEFT JOIN (
    SELECT si.session_id, count(*) AS linked_issues,
           count(*) FILTER (WHERE si.had_errors) AS issues_with_errors
    FROM ims.session_issues si GROUP BY si.session_id
) AS li ON li.session_id = cs.session_id
LEFT JOIN (
    SELECT se.session_id, count(*) AS error_count FROM ims.session_errors se GROUP BY se.session_id
) AS e ON e.session_id = cs.session_id
LEFT JOIN (
    SELECT at.session_id, count(*) AS attachment_count
    FROM ims.attachments at WHERE at.session_id IS NOT NULL GROUP BY at.session_id
) AS a ON a.session_id = cs.session_id;

-- Per issue: the issue with counts of its comments, history, attachments and the caller's
-- sessions that crawled it.
CREATE VIEW ims.v_issue_search WITH (security_invoker = true) AS
SELECT i.issue_pk,
       i.issue_id,
       i.title,
       i.description,
       i.product,
       i.status,
       i.priority,
       i.severity,
       i.issue_type,
       i.reporter,
       i.owner,
       i.manager,
       i.customer,
       i.registered_date,
       i.modified_date,
       i.closed_date,
       i.first_crawled_at,
       i.last_crawled_at,
       i.crawl_count,
       (SELECT count(*) FROM ims.issue_comments c WHERE c.issue_pk = i.issue_pk) AS comment_count,
       (SELECT count(*) FROM ims.issue_history h WHERE h.issue_pk = i.issue_pk)  AS history_count,
       (SELECT count(*) FROM ims.attachments a WHERE a.issue_pk = i.issue_pk)    AS attachment_count,
       (SELECT count(*) FROM ims.session_issues si WHERE si.issue_pk = i.issue_pk) AS session_count
FROM ims.issues i;

-- Recent activity (last 30 days): crawl sessions and searches, one row each.
CREATE VIEW ims.v_recent_activity WITH (security_invoker = true) AS
SELECT cs.user_id,
       u.username,
       'crawl'::varchar(20)   AS activity_type,
       cs.session_id,
       cs.session_uuid,
       cs.product,
       cs.original_query      AS query,
       cs.status,
       cs.issues_crawled      AS result_count,
       cs.started_at          AS activity_at
FROM ims.crawl_sessions cs
LEFT JOIN ims.users u ON u.user_id = cs.user_id
WHERE cs.started_at >= now() - interval '30 days'
UNION ALL
SELECT sq.user_id,
       u.username,
       'search'::varchar(20),
       sq.session_id,
       NULL,
       sq.product,
       sq.original_query,
       NULL,
       sq.results_count,
       sq.queried_at
FROM ims.search_queries sq
LEFT JOIN ims.users u ON u.user_id = sq.user_id
WHERE sq.queried_at >= now() - interval '30 days';

-- Per product: sessions, users, crawled issues.
CREATE VIEW ims.v_product_stats WITH (security_invoker = true) AS
SELECT s.product,
       s.total_sessions,
       s.successful_sessions,
       s.failed_sessions,
       s.user_count,
       s.total_issues_crawled,
       coalesce(l.unique_issues, 0) AS unique_issues,
       s.avg_session_duration_sec,
       s.avg_issues_per_session,
       s.last_crawled_at
FROM (
    SELECT cs.product,
           count(*) AS total_sessions,
           count(*) FILTER (WHERE cs.status = 'completed') AS successful_sessions,
           count(*) FILTER (WHERE cs.status = 'failed') AS failed_sessions,
           count(DISTINCT cs.user_id) AS user_count,
           coalesce(sum(cs.issues_crawled), 0) AS total_issues_crawled,
           round(avg(cs.duration_seconds), 2) AS avg_session_duration_sec,
           round(avg(coalesce(cs.issues_crawled, 0)), 2) AS avg_issues_per_session,
           max(cs.started_at) AS last_crawled_at
    FROM ims.crawl_sessions cs
    GROUP BY cs.product
) AS s
LEFT JOIN (
    SELECT cs.product, count(DISTINCT si.issue_pk) AS unique_issues
    FROM ims.session_issues si
    JOIN ims.crawl_sessions cs ON cs.session_id = si.session_id
    GROUP BY cs.product
) AS l ON l.product = s.product;

-- Materialized views: refreshed by ims.refresh_materialized_views() (Jobs service). Each has a
-- unique index over plain columns, which REFRESH ... CONCURRENTLY requires. They do not apply
-- RLS (PostgreSQL cannot), so 06 grants them to ims_admin / ims_readonly only where per-user.

-- Sessions per day (in ims.stats_time_zone()), product and user.
CREATE MATERIALIZED VIEW ims.mv_daily_session_summary AS
SELECT (cs.started_at AT TIME ZONE ims.stats_time_zone())::date AS day,
       cs.product,
       cs.user_id,
       count(*) AS session_count,
       count(*) FILTER (WHERE cs.status = 'completed') AS completed_count,
       count(*) FILTER (WHERE cs.status = 'failed') AS failed_count,
       coalesce(sum(cs.issues_crawled), 0) AS issues_crawled,
       coalesce(sum(cs.attachments_downloaded), 0) AS attachments_downloaded,
       round(avg(cs.duration_seconds), 2) AS avg_duration_sec,
       coalesce(sum(cs.duration_seconds), 0) AS total_duration_sec
FROM ims.crawl_sessions cs
GROUP BY 1, 2, 3
WITH DATA;

CREATE UNIQUE INDEX ux_mv_daily_session_summary ON ims.mv_daily_session_summary (day, product, user_id);

-- Issues per product, status, priority and registration week.
CREATE MATERIALIZED VIEW ims.mv_issue_trends AS
SELECT coalesce(i.product, '(none)')::varchar(100) AS product,
       coalesce(i.status, '(none)')::varchar(50) AS status,
       coalesce(i.priority, '(none)')::varchar(20) AS priority,
       date_trunc('week', coalesce(i.registered_date, i.first_crawled_at)
                          AT TIME ZONE ims.stats_time_zone())::date AS week,
       count(*) AS issue_count,
       count(*) FILTER (WHERE i.closed_date IS NOT NULL OR ims.is_closed_status(i.status)) AS closed_count,
       round(avg(extract(epoch FROM i.closed_date - i.registered_date) / 86400.0)
             FILTER (WHERE i.closed_date IS NOT NULL AND i.registered_date IS NOT NULL), 2) AS avg_days_to_close
FROM ims.issues i
GROUP BY 1, 2, 3, 4
WITH DATA;

CREATE UNIQUE INDEX ux_mv_issue_trends ON ims.mv_issue_trends (product, status, priority, week);
