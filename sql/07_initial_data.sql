-- 07_initial_data.sql: seed users and one sample crawl. Re-running it changes nothing:
-- every row is inserted only when its natural key is missing.

INSERT INTO ims.users (username, email, full_name, department, role, preferences)
VALUES
    ('admin', 'admin@example.com', 'System Administrator', 'IT', 'admin',
     '{"language": "en", "theme": "light", "notifications": true}'),
    ('yijae.shin', 'yijae.shin@example.com', 'Yijae Shin', 'Engineering', 'user',
     '{"language": "ko", "default_product": "OpenFrame", "max_results": 100, "crawl_related": false}'),
    ('analyst', 'analyst@example.com', 'Data Analyst', 'Analytics', 'readonly',
     '{"language": "en", "dashboard": "analytics"}')
ON CONFLICT (username) DO NOTHING;

INSERT INTO ims.crawl_sessions (
    session_uuid, user_id, product, original_query, parsed_query, query_language, max_results,
    crawl_related, status, started_at, completed_at, duration_seconds, total_issues_found,
    issues_crawled, attachments_downloaded, search_time_ms, crawl_time_ms, avg_issue_time_ms,
    data_path, metadata)
SELECT 'sample-session-0001', u.user_id, 'OpenFrame', '배치 작업 타임아웃', 'batch job timeout', 'ko',
       100, false, 'completed', now() - interval '1 hour', now() - interval '1 hour' + interval '95 seconds',
       95, 1, 1, 0, 1200, 93000, 93000,
       'data/users/yijae.shin/sessions/OpenFrame_batch_timeout_sample',
       '{"source": "seed", "crawler_version": "sample"}'
FROM ims.users u
WHERE u.username = 'yijae.shin'
ON CONFLICT (session_uuid) DO NOTHING;

INSERT INTO ims.issues (
    issue_id, title, description, product, status, priority, severity, issue_type, reporter,
    manager, registered_date, modified_date, customer, found_version, full_data)
VALUES ('SAMPLE-001', 'Batch job TPETIME timeout in OpenFrame Batch',
        'A long-running batch job ends with TPETIME. 배치 작업이 타임아웃으로 종료됩니다.',
        'OpenFrame Batch', 'Closed', 'High', 'Major', 'Defect', 'Sample Reporter', 'Sample Handler',
        '2024-01-15 10:23:00+09', '2024-01-20 17:05:00+09', 'Sample Customer', '7.1',
        '{"issue_id": "SAMPLE-001", "title": "Batch job TPETIME timeout in OpenFrame Batch", "product": "OpenFrame Batch", "status": "Closed", "source": "seed"}')
ON CONFLICT (issue_id) DO NOTHING;

INSERT INTO ims.session_issues (session_id, issue_pk, crawl_order, crawl_duration_ms)
SELECT s.session_id, i.issue_pk, 1, 93000
FROM ims.crawl_sessions s, ims.issues i
WHERE s.session_uuid = 'sample-session-0001' AND i.issue_id = 'SAMPLE-001'
ON CONFLICT (session_id, issue_pk) DO NOTHING;

INSERT INTO ims.issue_comments (issue_pk, comment_number, author, content, commented_at)
SELECT i.issue_pk, 1, 'Sample Handler',
       'Raised the TP timeout for the batch service; the job now completes.', '2024-01-16 09:00:00+09'
FROM ims.issues i
WHERE i.issue_id = 'SAMPLE-001'
  AND NOT EXISTS (SELECT 1 FROM ims.issue_comments c WHERE c.issue_pk = i.issue_pk AND c.comment_number = 1);

INSERT INTO ims.issue_history (issue_pk, changed_by, changed_at, change_type, field_name, old_value, new_value, description)
SELECT i.issue_pk, 'Sample Handler', '2024-01-20 17:05:00+09', 'status_change', 'status', 'Open', 'Closed',
       'Status changed from Open to Closed'
FROM ims.issues i
WHERE i.issue_id = 'SAMPLE-001'
  AND NOT EXISTS (SELECT 1 FROM ims.issue_history h WHERE h.issue_pk = i.issue_pk);

INSERT INTO ims.search_queries (user_id, session_id, original_query, parsed_query, query_language, product,
                                results_count, parsing_method, parsing_confidence)
SELECT s.user_id, s.session_id, s.original_query, s.parsed_query, s.query_language, s.product, 1, 'rule_based', 0.95
FROM ims.crawl_sessions s
WHERE s.session_uuid = 'sample-session-0001'
  AND NOT EXISTS (SELECT 1 FROM ims.search_queries q WHERE q.session_id = s.session_id);

INSERT INTO ims.audit_log (user_id, action, resource_type, resource_id, new_value)
SELECT s.user_id, 'session.seeded', 'crawl_session', s.session_uuid, '{"source": "07_initial_data.sql"}'
FROM ims.crawl_sessions s
WHERE s.session_uuid = 'sample-session-0001'
  AND NOT EXISTS (SELECT 1 FROM ims.audit_log a WHERE a.action = 'session.seeded' AND a.resource_id = s.session_uuid);

-- Zeroed analytics rows for users that have none yet (today, this month in the stats zone).
INSERT INTO ims.analytics_daily (user_id, stat_date)
SELECT u.user_id, (now() AT TIME ZONE ims.stats_time_zone())::date
FROM ims.users u
WHERE u.username IN ('admin', 'yijae.shin', 'analyst')
  AND NOT EXISTS (SELECT 1 FROM ims.analytics_daily d WHERE d.user_id = u.user_id)
ON CONFLICT (user_id, stat_date) DO NOTHING;

INSERT INTO ims.analytics_monthly (user_id, year, month)
SELECT u.user_id,
       extract(year FROM now() AT TIME ZONE ims.stats_time_zone())::integer,
       extract(month FROM now() AT TIME ZONE ims.stats_time_zone())::integer
FROM ims.users u
WHERE u.username IN ('admin', 'yijae.shin', 'analyst')
  AND NOT EXISTS (SELECT 1 FROM ims.analytics_monthly m WHERE m.user_id = u.user_id)
ON CONFLICT (user_id, year, month) DO NOTHING;
