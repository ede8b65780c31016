-- 04_create_functions.sql: triggers, search, aggregation, statistics and RLS helpers.
--
-- Rules kept throughout:
--   * every object is schema-qualified; SECURITY DEFINER functions pin search_path;
--   * figures are aggregated per session in subqueries, never multiplied through joins;
--   * "a day" is a calendar day in ims.stats_time_zone() (UTC unless the database sets
--     `ims.stats_time_zone`, e.g. ALTER DATABASE ims_crawler SET ims.stats_time_zone = 'Asia/Seoul').

-- updated_at ------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ims.update_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- An UPDATE that changes nothing keeps its timestamp, so "unchanged" stays visible.
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON ims.users
    FOR EACH ROW EXECUTE FUNCTION ims.update_updated_at();
CREATE TRIGGER trg_crawl_sessions_updated_at BEFORE UPDATE ON ims.crawl_sessions
    FOR EACH ROW EXECUTE FUNCTION ims.update_updated_at();
CREATE TRIGGER trg_issues_updated_at BEFORE UPDATE ON ims.issues
    FOR EACH ROW EXECUTE FUNCTION ims.update_updated_at();

-- RLS user ----------------------------------------------------------------------------------
-- The user is set per transaction only (is_local = true): a pooled connection never carries
-- one request's user into the next. Unset or empty means NULL, never an error.
CREATE OR REPLACE FUNCTION ims.set_current_user(p_user_id integer)
RETURNS void
LANGUAGE sql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT set_config('app.current_user_id', coalesce(p_user_id::text, ''), true);
$$;

CREATE OR REPLACE FUNCTION ims.get_current_user_id()
RETURNS integer
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT nullif(pg_catalog.current_setting('app.current_user_id', true), '')::integer;
$$;

-- Settings and small helpers ------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ims.stats_time_zone()
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT coalesce(nullif(pg_catalog.current_setting('ims.stats_time_zone', true), ''), 'UTC');
$$;

-- IMS shows statuses in English, Korean or Japanese; these count as closed.
CREATE OR REPLACE FUNCTION ims.is_closed_status(p_status text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT lower(btrim(p_status)) IN (
        'closed', 'close', 'resolved', 'completed', 'complete', 'done', 'rejected', 'fixed',
        '종료', '완료', '해결', '처리완료', '終了', '完了', '解決');
$$;

-- 'OpenFrame' matches 'OpenFrame', 'OpenFrame Batch', 'openframe OSC'; not 'OpenFrameX'.
CREATE OR REPLACE FUNCTION ims.product_in_family(p_product text, p_family text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT p_family IS NULL OR btrim(p_family) = ''
        OR lower(p_product) = lower(btrim(p_family))
        OR lower(p_product) LIKE replace(replace(replace(lower(btrim(p_family)), '\', '\\'), '%', '\%'), '_', '\_') || ' %';
$$;

-- Previous calendar month of a day: January rolls back into December of the previous year.
CREATE OR REPLACE FUNCTION ims.previous_month(p_day date, OUT year integer, OUT month integer)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT extract(year FROM d)::integer, extract(month FROM d)::integer
    FROM (SELECT (date_trunc('month', p_day) - interval '1 month')::date AS d) AS prev;
$$;

-- Full-text search ------------------------------------------------------------------------------
-- Latin text goes through the 'english' configuration (stemming: "connections" finds
-- "connection"; codes such as TPETIME, SVC99, OFCOBOL stay whole tokens). Korean and Japanese
-- have no spaces between a word and its particle, or none at all, so CJK runs are indexed as
-- overlapping character bigrams with positions: a query matches a substring by its bigrams in
-- a row (<->). Neither depends on the server's locale.
CREATE OR REPLACE FUNCTION ims.cjk_run_pattern()
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    -- Hangul jamo and syllables, hiragana, katakana (incl. half-width), CJK ideographs, 々.
    SELECT '[\u1100-\u11FF\u3005\u3040-\u30FF\u3130-\u318F\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F]+';
$$;

CREATE OR REPLACE FUNCTION ims.cjk_bigram_vector(p_text text)
RETURNS tsvector
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT coalesce(string_agg(
               '''' || gram || ''':' || least(position, 16383)::text, ' ')::tsvector,
           ''::tsvector)
    FROM (
        SELECT CASE WHEN length(run.match[1]) = 1 THEN run.match[1]
                    ELSE substr(run.match[1], i, 2) END AS gram,
               -- one position per bigram; a gap between runs keeps phrases inside a run
               (row_number() OVER (ORDER BY run.run_no, i) + run.run_no)::integer AS position
        FROM regexp_matches(coalesce(p_text, ''), ims.cjk_run_pattern(), 'g')
                 WITH ORDINALITY AS run(match, run_no)
        CROSS JOIN LATERAL generate_series(1, greatest(length(run.match[1]) - 1, 1)) AS i
    ) AS grams;
$$;

CREATE OR REPLACE FUNCTION ims.text_search_vector(p_text text, p_weight "char")
RETURNS tsvector
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT setweight(
        to_tsvector('english'::regconfig,
                    regexp_replace(coalesce(p_text, ''), ims.cjk_run_pattern(), ' ', 'g'))
        || ims.cjk_bigram_vector(p_text),
        p_weight);
$$;

-- Rebuilds the documents of the given issues in one set-based statement; unchanged documents
-- are not rewritten. SECURITY DEFINER: a document covers every attachment of the issue,
-- whichever user's session downloaded it, so it must not depend on the writer's RLS view.
CREATE OR REPLACE FUNCTION ims.refresh_issue_search_documents(p_issue_pks bigint[])
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO ims.issue_search_documents AS d (issue_pk, document)
    SELECT i.issue_pk,
           ims.text_search_vector(i.title, 'A')
           || ims.text_search_vector(i.description, 'B')
           || ims.text_search_vector(c.body, 'C')
           || ims.text_search_vector(a.body, 'D')
    FROM ims.issues i
    LEFT JOIN (SELECT ic.issue_pk, string_agg(ic.content, E'\n' ORDER BY ic.comment_number, ic.comment_id) AS body
               FROM ims.issue_comments ic WHERE ic.issue_pk = ANY (p_issue_pks)
               GROUP BY ic.issue_pk) AS c ON c.issue_pk = i.issue_pk
    LEFT JOIN (SELECT at.issue_pk, string_agg(at.extracted_text, E'\n' ORDER BY at.attachment_id) AS body
               FROM ims.attachments at WHERE at.issue_pk = ANY (p_issue_pks)
               GROUP BY at.issue_pk) AS a ON a.issue_pk = i.issue_pk
    WHERE i.issue_pk = ANY (p_issue_pks)
    ON CONFLICT (issue_pk) DO UPDATE
        SET document = EXCLUDED.document, updated_at = now()
        WHERE d.document IS DISTINCT FROM EXCLUDED.document;
$$;

-- Statement-level triggers with transition tables: one refresh per statement, so a bulk
-- COPY of comments rebuilds each issue's document once, not once per row.
CREATE OR REPLACE FUNCTION ims.trg_issue_search_from_new_rows()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.refresh_issue_search_documents(ARRAY(SELECT DISTINCT issue_pk FROM new_rows));
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
    PERFORM ims.refresh_issue_search_documents(ARRAY(SELECT DISTINCT issue_pk FROM old_rows));
    RETURN NULL;
END;
$$;

-- Issues: only rows whose title or description changed (a re-crawl that bumps crawl_count
-- does not rebuild the document).
CREATE OR REPLACE FUNCTION ims.trg_issue_search_from_issue_update()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.refresh_issue_search_documents(ARRAY(
        SELECT n.issue_pk FROM new_rows n JOIN old_rows o ON o.issue_pk = n.issue_pk
        WHERE (n.title, n.description) IS DISTINCT FROM (o.title, o.description)));
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
    PERFORM ims.refresh_issue_search_documents(ARRAY(
        SELECT issue_pk FROM new_rows UNION SELECT issue_pk FROM old_rows));
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_issues_search_insert AFTER INSERT ON ims.issues
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_new_rows();
CREATE TRIGGER trg_issues_search_update AFTER UPDATE ON ims.issues
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_issue_update();

CREATE TRIGGER trg_issue_comments_search_insert AFTER INSERT ON ims.issue_comments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_new_rows();
CREATE TRIGGER trg_issue_comments_search_update AFTER UPDATE ON ims.issue_comments
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_changed_rows();
CREATE TRIGGER trg_issue_comments_search_delete AFTER DELETE ON ims.issue_comments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_old_rows();

CREATE TRIGGER trg_attachments_search_insert AFTER INSERT ON ims.attachments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_new_rows();
CREATE TRIGGER trg_attachments_search_update AFTER UPDATE ON ims.attachments
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_changed_rows();
CREATE TRIGGER trg_attachments_search_delete AFTER DELETE ON ims.attachments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_old_rows();

-- One search term as a tsquery: its Latin words (stemmed) AND its CJK runs as bigram phrases.
-- A Hangul run that ends in a particle ("타임아웃이") also matches without it ("타임아웃").
CREATE OR REPLACE FUNCTION ims.cjk_run_query(p_run text)
RETURNS tsquery
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    WITH stems AS (
        SELECT p_run AS stem
        UNION
        SELECT left(p_run, length(p_run) - length(particle))
        FROM unnest(ARRAY['에서는', '으로는', '에서', '으로', '에게', '까지', '부터', '처럼', '보다',
                          '이나', '이라', '라는', '이다', '은', '는', '이', '가', '을', '를',
                          '에', '의', '도', '만', '와', '과', '로']) AS particle
        WHERE p_run ~ '^[\uAC00-\uD7AF]+$'
          AND right(p_run, length(particle)) = particle
          AND length(p_run) - length(particle) >= 2
    ),
    stem_queries AS (
        SELECT CASE
                   WHEN length(stem) = 1 THEN (quote_literal(stem) || ':*')::tsquery
                   ELSE (SELECT string_agg(quote_literal(substr(stem, i, 2)), ' <-> ' ORDER BY i)
                         FROM generate_series(1, length(stem) - 1) AS i)::tsquery
               END AS q
        FROM stems
    )
    SELECT string_agg('(' || q::text || ')', ' | ')::tsquery FROM stem_queries;
$$;

CREATE OR REPLACE FUNCTION ims.search_term_query(p_term text, p_phrase boolean DEFAULT false)
RETURNS tsquery
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    WITH latin_text AS (
        SELECT regexp_replace(p_term, ims.cjk_run_pattern(), ' ', 'g') AS t
    ),
    latin AS (
        SELECT CASE WHEN p_phrase THEN phraseto_tsquery('english'::regconfig, t)
                    ELSE plainto_tsquery('english'::regconfig, t)
               END AS q
        FROM latin_text
        WHERE t ~ '[[:alnum:]]'   -- skip blank parts: no "query contains no lexemes" notices
    ),
    parts AS (
        SELECT q FROM latin WHERE q::text <> ''
        UNION ALL
        SELECT ims.cjk_run_query(run.match[1])
        FROM regexp_matches(p_term, ims.cjk_run_pattern(), 'g') AS run(match)
    )
    SELECT nullif(string_agg('(' || q::text || ')', ' & '), '')::tsquery FROM parts;
$$;

-- Plain text and IMS syntax: words are ANDed; `+word` must match (the same); `-word` must not;
-- `"a phrase"` matches in order; `OR` joins the terms on either side into one alternative
-- (`OpenFrame timeout OR hang` = OpenFrame & (timeout | hang)). NULL when nothing searchable
-- remains (empty, only stop words or punctuation) or when only exclusions were given, which
-- would otherwise match nearly every issue.
CREATE OR REPLACE FUNCTION ims.parse_search_query(p_query text)
RETURNS tsquery
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    token         record;
    term          tsquery;
    done_groups   tsquery;   -- AND of the finished alternatives
    open_group    tsquery;   -- the alternative an OR may still extend
    pending_or    boolean := false;
    has_positive  boolean := false;
BEGIN
    FOR token IN
        SELECT m[1] AS sign, m[2] AS phrase, m[3] AS word
        FROM regexp_matches(coalesce(p_query, ''), '([+-]?)(?:"([^"]*)"?|([^\s"]+))', 'g') AS m
    LOOP
        IF token.phrase IS NULL AND token.sign = '' AND token.word = 'OR' THEN
            pending_or := open_group IS NOT NULL;
            CONTINUE;
        END IF;
        term := ims.search_term_query(coalesce(token.phrase, token.word), token.phrase IS NOT NULL);
        CONTINUE WHEN term IS NULL;
        IF token.sign = '-' THEN
            term := !! term;
        ELSE
            has_positive := true;
        END IF;
        IF pending_or THEN
            open_group := open_group || term;
        ELSE
            IF open_group IS NOT NULL THEN
                done_groups := CASE WHEN done_groups IS NULL THEN open_group ELSE done_groups && open_group END;
            END IF;
            open_group := term;
        END IF;
        pending_or := false;
    END LOOP;
    IF NOT has_positive THEN
        RETURN NULL;
    END IF;
    RETURN CASE WHEN done_groups IS NULL THEN open_group ELSE done_groups && open_group END;
END;
$$;

-- search_issues: the original signature and result columns. An inlinable SQL function, so
-- EXPLAIN of a call shows the index scan it uses; the query is parsed once per call.
CREATE OR REPLACE FUNCTION ims.search_issues(
    p_search_query text,
    p_product varchar DEFAULT NULL,
    p_limit integer DEFAULT 100)
RETURNS TABLE (issue_pk bigint, issue_id varchar, title text, description text,
               product varchar, status varchar, rank real)
LANGUAGE sql
STABLE
AS $$
    SELECT i.issue_pk, i.issue_id, i.title, i.description, i.product, i.status,
           ts_rank(d.document, q.query) AS rank
    FROM (SELECT ims.parse_search_query(p_search_query) AS query) AS q
    JOIN ims.issue_search_documents d ON d.document @@ q.query
    JOIN ims.issues i ON i.issue_pk = d.issue_pk
    WHERE ims.product_in_family(i.product, p_product)
    ORDER BY rank DESC, i.issue_pk DESC
    LIMIT greatest(coalesce(p_limit, 100), 0);
$$;

-- upsert_issue -------------------------------------------------------------------------------
-- Inserts or updates on issue_id. Bumps crawl_count and last_crawled_at; never touches IMS's
-- modified_date; a NULL argument keeps the stored value instead of wiping it.
CREATE OR REPLACE FUNCTION ims.upsert_issue(
    p_issue_id varchar,
    p_title text,
    p_description text,
    p_product varchar,
    p_status varchar,
    p_full_data jsonb)
RETURNS bigint
LANGUAGE sql
VOLATILE
AS $$
    -- NOT NULL is checked on the proposed row before the conflict is seen, so a NULL title
    -- for an existing issue takes the stored one here (a new issue still needs a title).
    INSERT INTO ims.issues AS i (issue_id, title, description, product, status, full_data)
    VALUES (p_issue_id,
            coalesce(p_title, (SELECT s.title FROM ims.issues s WHERE s.issue_id = p_issue_id)),
            p_description, p_product, p_status, p_full_data)
    ON CONFLICT (issue_id) DO UPDATE SET
        title           = coalesce(EXCLUDED.title, i.title),
        description     = coalesce(EXCLUDED.description, i.description),
        product         = coalesce(EXCLUDED.product, i.product),
        status          = coalesce(EXCLUDED.status, i.status),
        full_data       = coalesce(EXCLUDED.full_data, i.full_data),
        crawl_count     = coalesce(i.crawl_count, 0) + 1,
        last_crawled_at = now()
    RETURNING i.issue_pk;
$$;

-- get_user_stats -----------------------------------------------------------------------------
-- Exact per-session figures; always one row (zeros for an unknown user or one RLS hides).
CREATE OR REPLACE FUNCTION ims.get_user_stats(p_user_id integer)
RETURNS TABLE (total_sessions bigint, successful_sessions bigint, failed_sessions bigint,
               total_issues_crawled bigint, unique_issues bigint, total_attachments bigint,
               avg_session_duration_sec numeric, last_session_date timestamptz,
               most_used_product varchar)
LANGUAGE sql
STABLE
AS $$
    WITH s AS (
        SELECT cs.session_id, cs.status, cs.issues_crawled, cs.attachments_downloaded,
               cs.duration_seconds, cs.started_at, cs.product
        FROM ims.crawl_sessions cs
        WHERE cs.user_id = p_user_id
    )
    SELECT count(*),
           count(*) FILTER (WHERE s.status = 'completed'),
           count(*) FILTER (WHERE s.status = 'failed'),
           coalesce(sum(s.issues_crawled), 0),
           (SELECT count(DISTINCT si.issue_pk) FROM ims.session_issues si
             WHERE si.session_id IN (SELECT session_id FROM s)),
           coalesce(sum(s.attachments_downloaded), 0),
           round(avg(s.duration_seconds), 2),
           max(s.started_at),
           (SELECT s2.product FROM s AS s2 GROUP BY s2.product
             ORDER BY count(*) DESC, s2.product LIMIT 1)
    FROM s;
$$;

-- aggregate_daily_stats ----------------------------------------------------------------------
-- One analytics_daily row per user who had sessions that day, replaced on re-run (rows whose
-- figures did not change are not rewritten). One set-based statement for all users.
CREATE OR REPLACE FUNCTION ims.aggregate_daily_stats(target_date date DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tz      text := ims.stats_time_zone();
    the_day date := coalesce(target_date, (now() AT TIME ZONE ims.stats_time_zone())::date - 1);
    day_from timestamptz := the_day::timestamp AT TIME ZONE tz;
    day_to   timestamptz := (the_day + 1)::timestamp AT TIME ZONE tz;
BEGIN
    WITH s AS (
        SELECT cs.session_id, cs.user_id, cs.product, cs.status, cs.issues_crawled,
               cs.attachments_downloaded, cs.duration_seconds, cs.original_query
        FROM ims.crawl_sessions cs
        WHERE cs.started_at >= day_from AND cs.started_at < day_to
    ),
    per_user AS (
        SELECT s.user_id,
               count(*)::integer AS sessions_count,
               (count(*) FILTER (WHERE s.status = 'completed'))::integer AS successful_sessions,
               (count(*) FILTER (WHERE s.status = 'failed'))::integer AS failed_sessions,
               coalesce(sum(s.issues_crawled), 0)::integer AS issues_crawled,
               coalesce(sum(s.attachments_downloaded), 0)::integer AS attachments_downloaded,
               round(avg(s.duration_seconds))::integer AS avg_session_duration_sec,
               round(avg(coalesce(s.issues_crawled, 0)), 2) AS avg_issues_per_session
        FROM s GROUP BY s.user_id
    ),
    linked AS (
        SELECT s.user_id,
               count(DISTINCT si.issue_pk)::integer AS unique_issues,
               (count(DISTINCT si.issue_pk) FILTER (
                    WHERE i.first_crawled_at >= day_from AND i.first_crawled_at < day_to))::integer AS new_issues
        FROM s
        JOIN ims.session_issues si ON si.session_id = s.session_id
        JOIN ims.issues i ON i.issue_pk = si.issue_pk
        GROUP BY s.user_id
    ),
    products AS (
        SELECT by_product.user_id, jsonb_object_agg(by_product.product, by_product.sessions) AS product_stats
        FROM (SELECT s.user_id, s.product, count(*) AS sessions FROM s GROUP BY s.user_id, s.product) AS by_product
        GROUP BY by_product.user_id
    ),
    queries AS (
        SELECT ranked.user_id,
               jsonb_agg(jsonb_build_object('query', ranked.query, 'count', ranked.times)
                         ORDER BY ranked.times DESC, ranked.query) AS top_queries
        FROM (SELECT s.user_id, s.original_query AS query, count(*) AS times,
                     row_number() OVER (PARTITION BY s.user_id ORDER BY count(*) DESC, s.original_query) AS place
              FROM s GROUP BY s.user_id, s.original_query) AS ranked
        WHERE ranked.place <= 10
        GROUP BY ranked.user_id
    )
    INSERT INTO ims.analytics_daily AS a (
        user_id, stat_date, sessions_count, successful_sessions, failed_sessions, issues_crawled,
        unique_issues, new_issues, attachments_downloaded, avg_session_duration_sec,
        avg_issues_per_session, product_stats, top_queries)
    SELECT p.user_id, the_day, p.sessions_count, p.successful_sessions, p.failed_sessions,
           p.issues_crawled, coalesce(l.unique_issues, 0), coalesce(l.new_issues, 0),
           p.attachments_downloaded, p.avg_session_duration_sec, p.avg_issues_per_session,
           coalesce(pr.product_stats, '{}'::jsonb), coalesce(q.top_queries, '[]'::jsonb)
    FROM per_user p
    LEFT JOIN linked l ON l.user_id = p.user_id
    LEFT JOIN products pr ON pr.user_id = p.user_id
    LEFT JOIN queries q ON q.user_id = p.user_id
    ON CONFLICT (user_id, stat_date) DO UPDATE SET
        sessions_count = EXCLUDED.sessions_count,
        successful_sessions = EXCLUDED.successful_sessions,
        failed_sessions = EXCLUDED.failed_sessions,
        issues_crawled = EXCLUDED.issues_crawled,
        unique_issues = EXCLUDED.unique_issues,
        new_issues = EXCLUDED.new_issues,
        attachments_downloaded = EXCLUDED.attachments_downloaded,
        avg_session_duration_sec = EXCLUDED.avg_session_duration_sec,
        avg_issues_per_session = EXCLUDED.avg_issues_per_session,
        product_stats = EXCLUDED.product_stats,
        top_queries = EXCLUDED.top_queries
    WHERE (a.sessions_count, a.successful_sessions, a.failed_sessions, a.issues_crawled,
           a.unique_issues, a.new_issues, a.attachments_downloaded, a.avg_session_duration_sec,
           a.avg_issues_per_session, a.product_stats, a.top_queries)
          IS DISTINCT FROM
          (EXCLUDED.sessions_count, EXCLUDED.successful_sessions, EXCLUDED.failed_sessions,
           EXCLUDED.issues_crawled, EXCLUDED.unique_issues, EXCLUDED.new_issues,
           EXCLUDED.attachments_downloaded, EXCLUDED.avg_session_duration_sec,
           EXCLUDED.avg_issues_per_session, EXCLUDED.product_stats, EXCLUDED.top_queries);
END;
$$;

-- The seed's cron line passes `CURRENT_DATE - INTERVAL '1 day'`, a timestamp: take it as the
-- day it falls on in the session's time zone.
CREATE OR REPLACE FUNCTION ims.aggregate_daily_stats(target_day timestamptz)
RETURNS void
LANGUAGE sql
VOLATILE
AS $$
    SELECT ims.aggregate_daily_stats((target_day AT TIME ZONE pg_catalog.current_setting('TimeZone'))::date);
$$;

-- aggregate_monthly_stats ----------------------------------------------------------------------
-- Defaults mean the previous month (January rolls back into December of the previous year).
CREATE OR REPLACE FUNCTION ims.aggregate_monthly_stats(target_year integer DEFAULT NULL,
                                                       target_month integer DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tz          text := ims.stats_time_zone();
    today       date := (now() AT TIME ZONE ims.stats_time_zone())::date;
    the_year    integer;
    the_month   integer;
    month_start date;
    month_from  timestamptz;
    month_to    timestamptz;
    days        integer;
BEGIN
    IF target_month IS NULL THEN
        SELECT pm.year, pm.month INTO the_year, the_month FROM ims.previous_month(today) AS pm;
        the_year := coalesce(target_year, the_year);
    ELSE
        the_year := coalesce(target_year, extract(year FROM today)::integer);
        the_month := target_month;
    END IF;
    IF the_month NOT BETWEEN 1 AND 12 THEN
        RAISE EXCEPTION 'aggregate_monthly_stats: month must be between 1 and 12, got %', the_month
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    month_start := make_date(the_year, the_month, 1);
    month_from := month_start::timestamp AT TIME ZONE tz;
    month_to := (month_start + interval '1 month')::timestamp AT TIME ZONE tz;
    days := ((month_start + interval '1 month')::date - month_start);

    WITH s AS (
        SELECT cs.session_id, cs.user_id, cs.product, cs.issues_crawled, cs.original_query
        FROM ims.crawl_sessions cs
        WHERE cs.started_at >= month_from AND cs.started_at < month_to
    ),
    per_user AS (
        SELECT s.user_id, count(*)::integer AS total_sessions,
               round(count(*)::numeric / days, 2) AS avg_sessions_per_day,
               coalesce(sum(s.issues_crawled), 0)::integer AS total_issues_crawled
        FROM s GROUP BY s.user_id
    ),
    linked AS (
        SELECT DISTINCT s.user_id, si.issue_pk FROM s JOIN ims.session_issues si ON si.session_id = s.session_id
    ),
    uniques AS (
        SELECT user_id, count(*)::integer AS unique_issues FROM linked GROUP BY user_id
    ),
    statuses AS (
        SELECT by_status.user_id, jsonb_object_agg(by_status.status, by_status.issues) AS breakdown
        FROM (SELECT l.user_id, coalesce(i.status, 'unknown') AS status, count(*) AS issues
              FROM linked l JOIN ims.issues i ON i.issue_pk = l.issue_pk
              GROUP BY l.user_id, coalesce(i.status, 'unknown')) AS by_status
        GROUP BY by_status.user_id
    ),
    products AS (
        SELECT by_product.user_id, jsonb_object_agg(by_product.product, by_product.sessions) AS distribution
        FROM (SELECT s.user_id, s.product, count(*) AS sessions FROM s GROUP BY s.user_id, s.product) AS by_product
        GROUP BY by_product.user_id
    ),
    keywords AS (
        SELECT ranked.user_id, jsonb_object_agg(ranked.keyword, ranked.times) AS trends
        FROM (SELECT words.user_id, words.keyword, count(*) AS times,
                     row_number() OVER (PARTITION BY words.user_id ORDER BY count(*) DESC, words.keyword) AS place
              FROM (SELECT s.user_id, lower(w) AS keyword
                    FROM s, regexp_split_to_table(s.original_query, '[\s,;]+') AS w
                    WHERE length(w) > 1 AND w !~ '^[+-]?(OR|AND)$') AS words
              GROUP BY words.user_id, words.keyword) AS ranked
        WHERE ranked.place <= 20
        GROUP BY ranked.user_id
    ),
    parsing AS (
        SELECT q.user_id,
               round(avg(q.parsing_confidence), 2) AS avg_confidence,
               round(100.0 * avg(CASE WHEN q.synonym_expanded THEN 1 ELSE 0 END), 2) AS synonym_rate
        FROM ims.search_queries q
        WHERE q.queried_at >= month_from AND q.queried_at < month_to
        GROUP BY q.user_id
    )
    INSERT INTO ims.analytics_monthly AS m (
        user_id, year, month, total_sessions, avg_sessions_per_day, total_issues_crawled,
        unique_issues, keyword_trends, product_distribution, issue_status_breakdown,
        avg_parsing_confidence, synonym_expansion_rate)
    SELECT p.user_id, the_year, the_month, p.total_sessions, p.avg_sessions_per_day,
           p.total_issues_crawled, coalesce(u.unique_issues, 0),
           coalesce(k.trends, '{}'::jsonb), coalesce(pr.distribution, '{}'::jsonb),
           coalesce(st.breakdown, '{}'::jsonb), pa.avg_confidence, pa.synonym_rate
    FROM per_user p
    LEFT JOIN uniques u ON u.user_id = p.user_id
    LEFT JOIN keywords k ON k.user_id = p.user_id
    LEFT JOIN products pr ON pr.user_id = p.user_id
    LEFT JOIN statuses st ON st.user_id = p.user_id
    LEFT JOIN parsing pa ON pa.user_id = p.user_id
    ON CONFLICT (user_id, year, month) DO UPDATE SET
        total_sessions = EXCLUDED.total_sessions,
        avg_sessions_per_day = EXCLUDED.avg_sessions_per_day,
        total_issues_crawled = EXCLUDED.total_issues_crawled,
        unique_issues = EXCLUDED.unique_issues,
        keyword_trends = EXCLUDED.keyword_trends,
        product_distribution = EXCLUDED.product_distribution,
        issue_status_breakdown = EXCLUDED.issue_status_breakdown,
        avg_parsing_confidence = EXCLUDED.avg_parsing_confidence,
        synonym_expansion_rate = EXCLUDED.synonym_expansion_rate
    WHERE (m.total_sessions, m.avg_sessions_per_day, m.total_issues_crawled, m.unique_issues,
           m.keyword_trends, m.product_distribution, m.issue_status_breakdown,
           m.avg_parsing_confidence, m.synonym_expansion_rate)
          IS DISTINCT FROM
          (EXCLUDED.total_sessions, EXCLUDED.avg_sessions_per_day, EXCLUDED.total_issues_crawled,
           EXCLUDED.unique_issues, EXCLUDED.keyword_trends, EXCLUDED.product_distribution,
           EXCLUDED.issue_status_breakdown, EXCLUDED.avg_parsing_confidence,
           EXCLUDED.synonym_expansion_rate);
END;
$$;

-- delete_old_sessions ------------------------------------------------------------------------
-- Deletes the user's sessions started before the cutoff, with their links, errors, searches
-- and the attachment rows those sessions downloaded, and reports exactly that. Issues are the
-- shared knowledge base: they are never deleted here, so deleted_issues is always 0.
-- Runs as the caller, so under RLS an ims_user can only ever delete its own sessions.
CREATE OR REPLACE FUNCTION ims.delete_old_sessions(p_user_id integer, p_older_than_days integer DEFAULT 90)
RETURNS TABLE (deleted_sessions integer, deleted_issues integer, deleted_attachments integer)
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cutoff timestamptz;
BEGIN
    IF p_older_than_days IS NULL OR p_older_than_days < 0 THEN
        RAISE EXCEPTION 'delete_old_sessions: p_older_than_days must be 0 or more, got %', p_older_than_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    cutoff := now() - make_interval(days => p_older_than_days);

    RETURN QUERY
    WITH old_sessions AS (
        SELECT cs.session_id FROM ims.crawl_sessions cs
        WHERE cs.user_id = p_user_id AND cs.started_at < cutoff
    ),
    gone_attachments AS (
        DELETE FROM ims.attachments a
        WHERE a.session_id IN (SELECT session_id FROM old_sessions)
        RETURNING a.attachment_id
    ),
    gone_sessions AS (
        DELETE FROM ims.crawl_sessions cs
        WHERE cs.session_id IN (SELECT session_id FROM old_sessions)
        RETURNING cs.session_id
    )
    SELECT (SELECT count(*) FROM gone_sessions)::integer,
           0,
           (SELECT count(*) FROM gone_attachments)::integer;
END;
$$;

-- refresh_materialized_views -------------------------------------------------------------------
-- SECURITY DEFINER: refreshing needs the views' owner; callers only need EXECUTE (ims_admin).
CREATE OR REPLACE FUNCTION ims.refresh_materialized_views()
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY ims.mv_daily_session_summary;
    REFRESH MATERIALIZED VIEW CONCURRENTLY ims.mv_issue_trends;
END;
$$;
