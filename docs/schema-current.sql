-- The ims schema after every script in sql/ (GENERATED: do not edit; the scripts are the source).
-- Generated from PostgreSQL 15.x by pg_dump --schema-only --no-owner --schema=ims.
-- Regenerate: IMS_UPDATE_SCHEMA_SNAPSHOT=1 dotnet test tests/ImsCrawler.Database.Tests --filter SchemaSnapshot
--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: ims; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA ims;


--
-- Name: SCHEMA ims; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA ims IS 'IMS Crawler metadata: crawl sessions, deduplicated issues, analytics, audit trail';


--
-- Name: aggregate_daily_stats(date); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.aggregate_daily_stats(target_date date DEFAULT NULL::date) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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


--
-- Name: aggregate_daily_stats(timestamp with time zone); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.aggregate_daily_stats(target_day timestamp with time zone) RETURNS void
    LANGUAGE sql
    AS $$
    SELECT ims.aggregate_daily_stats((target_day AT TIME ZONE pg_catalog.current_setting('TimeZone'))::date);
$$;


--
-- Name: aggregate_monthly_stats(integer, integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.aggregate_monthly_stats(target_year integer DEFAULT NULL::integer, target_month integer DEFAULT NULL::integer) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


--
-- Name: authenticate_api_key(bytea); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.authenticate_api_key(p_key_hash bytea) RETURNS TABLE(key_id bigint, revoked boolean, user_id integer, username character varying, role character varying, is_active boolean)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


--
-- Name: cjk_bigram_vector(text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.cjk_bigram_vector(p_text text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$SELECT ims.cjk_bigram_vector_portable(p_text)$$;


--
-- Name: cjk_bigram_vector_portable(text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.cjk_bigram_vector_portable(p_text text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT coalesce(string_agg(
               '''' || gram || ''':' || least(position, 16383)::text, ' ')::tsvector,
           ''::tsvector)
    FROM (
        -- each character with the next one of its run; a run of one character is its own gram
        SELECT CASE WHEN g.next IS NULL THEN g.c ELSE g.c || g.next END AS gram,
               -- one position per bigram; a gap between runs keeps phrases inside a run
               (row_number() OVER (ORDER BY run.run_no, g.n) + run.run_no)::integer AS position
        FROM regexp_matches(coalesce(p_text, ''), ims.cjk_run_pattern(), 'g')
                 WITH ORDINALITY AS run(match, run_no)
        CROSS JOIN LATERAL (SELECT string_to_array(run.match[1], NULL) AS chars) AS a
        CROSS JOIN LATERAL unnest(a.chars, a.chars[2:]) WITH ORDINALITY AS g(c, next, n)
        WHERE g.next IS NOT NULL OR g.n = 1
    ) AS grams;
$$;


--
-- Name: FUNCTION cjk_bigram_vector_portable(p_text text); Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON FUNCTION ims.cjk_bigram_vector_portable(p_text text) IS 'ims.cjk_bigram_vector in SQL (sql/14): used where the ims_cjk_bigrams extension is not installed';


--
-- Name: cjk_run_pattern(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.cjk_run_pattern() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    -- Hangul jamo and syllables, hiragana, katakana (incl. half-width), CJK ideographs, 々.
    SELECT '[\u1100-\u11FF\u3005\u3040-\u30FF\u3130-\u318F\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F]+';
$$;


--
-- Name: cjk_run_query(text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.cjk_run_query(p_run text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
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
$_$;


--
-- Name: delete_old_sessions(integer, integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.delete_old_sessions(p_user_id integer, p_older_than_days integer DEFAULT 90) RETURNS TABLE(deleted_sessions integer, deleted_issues integer, deleted_attachments integer)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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


--
-- Name: fitted_search_document(text, text, text, text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.fitted_search_document(p_title text, p_description text, p_comments text, p_attachments text, OUT document tsvector, OUT cut_from text) RETURNS record
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    parts   text[] := ARRAY[p_title, p_description, p_comments, p_attachments];
    names   text[] := ARRAY['title', 'description', 'comments', 'attachments'];
    weights "char"[] := ARRAY['A', 'B', 'C', 'D'];
    piece_length constant integer := 20000;   -- characters
    piece   text;
    at      integer;
    space   integer;
BEGIN
    document := ''::tsvector;
    FOR i IN 1 .. 4 LOOP
        CONTINUE WHEN parts[i] IS NULL;
        at := 1;
        LOOP
            piece := substr(parts[i], at, piece_length);
            EXIT WHEN piece = '';
            IF length(piece) = piece_length THEN
                space := strpos(reverse(piece), ' ');
                IF space > 0 AND space < piece_length THEN
                    piece := left(piece, piece_length - space + 1);
                END IF;
            END IF;
            BEGIN
                document := document || ims.text_search_vector(piece, weights[i]);
            EXCEPTION WHEN program_limit_exceeded THEN
                cut_from := names[i];
                RETURN;
            END;
            at := at + length(piece);
        END LOOP;
    END LOOP;
END;
$$;


--
-- Name: get_current_user_id(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.get_current_user_id() RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT nullif(pg_catalog.current_setting('app.current_user_id', true), '')::integer;
$$;


--
-- Name: get_user_stats(integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.get_user_stats(p_user_id integer) RETURNS TABLE(total_sessions bigint, successful_sessions bigint, failed_sessions bigint, total_issues_crawled bigint, unique_issues bigint, total_attachments bigint, avg_session_duration_sec numeric, last_session_date timestamp with time zone, most_used_product character varying)
    LANGUAGE sql STABLE
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


--
-- Name: interpret_search_query(text, text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.interpret_search_query(p_query text, p_product text DEFAULT NULL::text) RETURNS TABLE(query text, product text, product_from_query boolean, dropped text[])
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    signs    text[];
    phrases  text[];
    words    text[];
    norms    text[];
    keep     boolean[];
    n        integer;
    i        integer;
    j        integer;
    p        record;
    parts    text[];
    matched  boolean;
    found_product text;
    removed  text[] := '{}';
    rebuilt  text;
    rest     text;
BEGIN
    SELECT coalesce(array_agg(m[1] ORDER BY o), '{}'), coalesce(array_agg(m[2] ORDER BY o), '{}'),
           coalesce(array_agg(m[3] ORDER BY o), '{}')
    INTO signs, phrases, words
    FROM regexp_matches(coalesce(p_query, ''), '([+-]?)(?:"([^"]*)"?|([^\s"]+))', 'g') WITH ORDINALITY AS t(m, o);
    n := coalesce(cardinality(words), 0);
    keep := array_fill(true, ARRAY[greatest(n, 1)]);
    norms := array_fill(NULL::text, ARRAY[greatest(n, 1)]);
    FOR i IN 1..n LOOP
        IF signs[i] = '' AND phrases[i] IS NULL AND words[i] <> 'OR' THEN
            -- a Korean particle after an intent word does not hide it ("방법을", "원인이")
            norms[i] := lower(words[i]);
            norms[i] := CASE WHEN norms[i] ~ '^[\uAC00-\uD7AF]+(은|는|이|가|을|를|도|에|요)$' AND length(norms[i]) >= 3
                             THEN left(norms[i], -1) ELSE norms[i] END;
        END IF;
    END LOOP;

    -- Whole words and phrases, longest first.
    FOR p IN SELECT ip.phrase, regexp_split_to_array(ip.phrase, ' ') AS parts FROM ims.search_intent_phrases ip
             ORDER BY cardinality(regexp_split_to_array(ip.phrase, ' ')) DESC, length(ip.phrase) DESC LOOP
        parts := p.parts;
        FOR i IN 1..(n - cardinality(parts) + 1) LOOP
            matched := true;
            FOR j IN 0..cardinality(parts) - 1 LOOP
                IF NOT keep[i + j] OR norms[i + j] IS NULL
                   OR (norms[i + j] <> parts[j + 1] AND lower(words[i + j]) <> parts[j + 1]) THEN
                    matched := false;
                    EXIT;
                END IF;
            END LOOP;
            IF matched THEN
                FOR j IN 0..cardinality(parts) - 1 LOOP keep[i + j] := false; END LOOP;
                removed := removed || p.phrase;
            END IF;
        END LOOP;
    END LOOP;

    -- Japanese (and unspaced Korean) glue intent words to the word before: "タイムアウトの原因",
    -- "バッチについて", "배치해결방법". The rest must keep two characters.
    FOR i IN 1..n LOOP
        CONTINUE WHEN NOT keep[i] OR norms[i] IS NULL OR words[i] !~ ims.cjk_run_pattern();
        FOR pass IN 1..3 LOOP   -- "の原因を教えて": one intent word after another
            matched := false;
            FOR p IN SELECT ip.phrase FROM ims.search_intent_phrases ip
                     WHERE ip.language IN ('ja', 'ko') AND position(' ' IN ip.phrase) = 0 AND length(ip.phrase) >= 2
                     ORDER BY length(ip.phrase) DESC LOOP
                rest := substring(words[i] FROM '^(.*?)(?:の|を|が|は|に)?' || p.phrase || '(?:を|は|が|ください|です|ですか)?$');
                IF rest IS NOT NULL AND length(rest) >= 2 THEN
                    words[i] := rest;
                    removed := removed || p.phrase;
                    matched := true;
                    EXIT;
                END IF;
            END LOOP;
            EXIT WHEN NOT matched;
        END LOOP;
    END LOOP;

    -- A product family named in the query, when no product was given.
    IF nullif(btrim(coalesce(p_product, '')), '') IS NULL THEN
        FOR i IN 1..n LOOP
            CONTINUE WHEN NOT keep[i] OR norms[i] IS NULL;
            SELECT f.family INTO found_product FROM ims.search_product_families f
            WHERE f.family_key = lower(ims.strip_attached_particle(words[i])) AND length(f.family_key) >= 3;
            IF found_product IS NOT NULL THEN
                keep[i] := false;
                EXIT;
            END IF;
        END LOOP;
    END IF;

    SELECT string_agg(signs[k] || CASE WHEN phrases[k] IS NOT NULL THEN '"' || phrases[k] || '"' ELSE words[k] END, ' ' ORDER BY k)
    INTO rebuilt
    FROM generate_series(1, n) AS k WHERE keep[k];

    IF (cardinality(removed) = 0 AND found_product IS NULL) OR ims.parse_search_query(rebuilt) IS NULL THEN
        RETURN QUERY SELECT p_query, nullif(btrim(coalesce(p_product, '')), ''), false, '{}'::text[];
    ELSE
        RETURN QUERY SELECT rebuilt, coalesce(found_product, nullif(btrim(coalesce(p_product, '')), '')),
                            found_product IS NOT NULL, removed;
    END IF;
END;
$_$;


--
-- Name: is_blank_json(jsonb); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.is_blank_json(value jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
    -- Blank when no leaf holds anything: no number, no boolean, no string with a non-space character
    -- (so "", null, [], {} and a comment the crawler left all "" are blank).
    SELECT value IS NULL
        OR NOT jsonb_path_exists(value,
            'strict $.** ? (@.type() == "number" || @.type() == "boolean" || (@.type() == "string" && !(@ like_regex "^[[:space:]]*$")))');
$_$;


--
-- Name: FUNCTION is_blank_json(value jsonb); Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON FUNCTION ims.is_blank_json(value jsonb) IS 'True for a JSON value the crawler writes when it found nothing: null, "", whitespace, [] or {}, or objects and arrays of only those';


--
-- Name: is_closed_status(text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.is_closed_status(p_status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT lower(btrim(p_status)) IN (
        'closed', 'close', 'resolved', 'completed', 'complete', 'done', 'rejected', 'fixed',
        '종료', '완료', '해결', '처리완료', '終了', '完了', '解決');
$$;


--
-- Name: keep_known_values(jsonb, jsonb); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.keep_known_values(stored jsonb, crawled jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE
        WHEN crawled IS NULL THEN stored
        WHEN stored IS NULL OR jsonb_typeof(stored) <> 'object' OR jsonb_typeof(crawled) <> 'object' THEN crawled
        ELSE crawled || coalesce(
            (SELECT jsonb_object_agg(s.key, s.value)
             FROM jsonb_each(stored) AS s(key, value)
             WHERE NOT ims.is_blank_json(s.value) AND ims.is_blank_json(crawled -> s.key)),
            '{}'::jsonb)
    END;
$$;


--
-- Name: merge_crawled_record(jsonb, jsonb); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.merge_crawled_record(stored jsonb, crawled jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE
        WHEN crawled IS NULL THEN stored
        WHEN stored IS NULL OR jsonb_typeof(stored) <> 'object' OR jsonb_typeof(crawled) <> 'object' THEN crawled
        ELSE crawled || coalesce(
            (SELECT jsonb_object_agg(s.key,
                        CASE WHEN jsonb_typeof(s.value) = 'object' AND jsonb_typeof(crawled -> s.key) = 'object'
                             THEN ims.keep_known_values(s.value, crawled -> s.key)
                             ELSE s.value END)
             FROM jsonb_each(stored) AS s(key, value)
             WHERE NOT ims.is_blank_json(s.value)
               AND (ims.is_blank_json(crawled -> s.key)
                    OR (jsonb_typeof(s.value) = 'object' AND jsonb_typeof(crawled -> s.key) = 'object'))),
            '{}'::jsonb)
    END;
$$;


--
-- Name: FUNCTION merge_crawled_record(stored jsonb, crawled jsonb); Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON FUNCTION ims.merge_crawled_record(stored jsonb, crawled jsonb) IS 'full_data of a re-crawled issue: the new record, with blank or missing keys (and metadata keys) keeping their stored values';


--
-- Name: migration_status(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.migration_status() RETURNS TABLE(applied_count bigint, latest_script text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


--
-- Name: note_issue_search_pending(bigint[]); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.note_issue_search_pending(p_issue_pks bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    INSERT INTO ims.issue_search_pending (issue_pk) SELECT DISTINCT unnest(p_issue_pks);
    SELECT set_config('ims.issue_search_flushed', '', true);
$$;


--
-- Name: note_search_product_families(text[]); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.note_search_product_families(p_products text[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    INSERT INTO ims.search_product_families (family_key, family)
    SELECT DISTINCT ON (lower(f.family)) lower(f.family), f.family
    FROM (SELECT split_part(btrim(p), ' ', 1) AS family FROM unnest(p_products) AS p WHERE btrim(p) <> '') AS f
    ON CONFLICT (family_key) DO NOTHING;
$$;


--
-- Name: notify_job_requested(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.notify_job_requested() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM pg_notify('ims_jobs', 'requested');
    RETURN NULL;
END;
$$;


--
-- Name: parse_search_query(text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.parse_search_query(p_query text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
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


--
-- Name: previous_month(date); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.previous_month(p_day date, OUT year integer, OUT month integer) RETURNS record
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT extract(year FROM d)::integer, extract(month FROM d)::integer
    FROM (SELECT (date_trunc('month', p_day) - interval '1 month')::date AS d) AS prev;
$$;


--
-- Name: product_in_family(text, text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.product_in_family(p_product text, p_family text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT p_family IS NULL OR btrim(p_family) = ''
        OR lower(p_product) = lower(btrim(p_family))
        OR lower(p_product) LIKE replace(replace(replace(lower(btrim(p_family)), '\', '\\'), '%', '\%'), '_', '\_') || ' %';
$$;


--
-- Name: prune_user_issues(integer[], bigint[]); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.prune_user_issues(p_user_ids integer[], p_issue_pks bigint[] DEFAULT NULL::bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    DELETE FROM ims.user_issues ui
    WHERE ui.user_id = ANY (p_user_ids)
      AND (p_issue_pks IS NULL OR ui.issue_pk = ANY (p_issue_pks))
      AND NOT EXISTS (SELECT 1 FROM ims.session_issues si
                      JOIN ims.crawl_sessions cs ON cs.session_id = si.session_id
                      WHERE si.issue_pk = ui.issue_pk AND cs.user_id = ui.user_id);
$$;


--
-- Name: record_search(text, text, integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    the_user integer := ims.get_current_user_id();
    new_id   bigint;
BEGIN
    IF the_user IS NULL THEN
        RAISE EXCEPTION 'record_search: no current user (ims.set_current_user was not called)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO ims.search_queries (user_id, original_query, parsed_query, product, results_count, parsing_method)
    VALUES (the_user, p_query, ims.parse_search_query(p_query)::text, left(nullif(btrim(p_product), ''), 100),
            p_results_count, 'api_search')
    RETURNING query_id INTO new_id;
    RETURN new_id;
END;
$$;


--
-- Name: FUNCTION record_search(p_query text, p_product text, p_results_count integer); Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer) IS 'Records one API search for the current RLS user (also for ims_readonly, which has no INSERT on search_queries)';


--
-- Name: record_search(text, text, integer, text, boolean, boolean); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer, p_interpreted_query text, p_intent_filtered boolean, p_product_from_query boolean) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    the_user integer := ims.get_current_user_id();
    new_id   bigint;
BEGIN
    IF the_user IS NULL THEN
        RAISE EXCEPTION 'record_search: no current user (ims.set_current_user was not called)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO ims.search_queries (user_id, original_query, parsed_query, product, results_count, parsing_method,
                                    intent_filtered)
    VALUES (the_user, p_query, ims.parse_search_query(coalesce(p_interpreted_query, p_query))::text,
            left(nullif(btrim(p_product), ''), 100), p_results_count,
            CASE WHEN coalesce(p_intent_filtered, false) OR coalesce(p_product_from_query, false)
                 THEN 'api_search_nl' ELSE 'api_search' END,
            coalesce(p_intent_filtered, false))
    RETURNING query_id INTO new_id;
    RETURN new_id;
END;
$$;


--
-- Name: refresh_issue_search_documents(bigint[]); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.refresh_issue_search_documents(p_issue_pks bigint[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    BEGIN
        INSERT INTO ims.issue_search_documents AS d (issue_pk, document, cut_from)
        SELECT i.issue_pk,
               ims.text_search_vector(i.title, 'A')
               || ims.text_search_vector(i.description, 'B')
               || ims.text_search_vector(c.body, 'C')
               || ims.text_search_vector(a.body, 'D'),
               NULL
        FROM ims.issues i
        LEFT JOIN (SELECT ic.issue_pk, string_agg(ic.content, E'\n' ORDER BY ic.comment_number, ic.comment_id) AS body
                   FROM ims.issue_comments ic WHERE ic.issue_pk = ANY (p_issue_pks)
                   GROUP BY ic.issue_pk) AS c ON c.issue_pk = i.issue_pk
        LEFT JOIN (SELECT at.issue_pk, string_agg(at.extracted_text, E'\n' ORDER BY at.attachment_id) AS body
                   FROM ims.attachments at WHERE at.issue_pk = ANY (p_issue_pks)
                   GROUP BY at.issue_pk) AS a ON a.issue_pk = i.issue_pk
        WHERE i.issue_pk = ANY (p_issue_pks)
        ON CONFLICT (issue_pk) DO UPDATE
            SET document = EXCLUDED.document, cut_from = EXCLUDED.cut_from, updated_at = now()
            WHERE (d.document, d.cut_from) IS DISTINCT FROM (EXCLUDED.document, EXCLUDED.cut_from);
    EXCEPTION WHEN program_limit_exceeded THEN
        INSERT INTO ims.issue_search_documents AS d (issue_pk, document, cut_from)
        SELECT i.issue_pk, f.document, f.cut_from
        FROM ims.issues i
        LEFT JOIN (SELECT ic.issue_pk, string_agg(ic.content, E'\n' ORDER BY ic.comment_number, ic.comment_id) AS body
                   FROM ims.issue_comments ic WHERE ic.issue_pk = ANY (p_issue_pks)
                   GROUP BY ic.issue_pk) AS c ON c.issue_pk = i.issue_pk
        LEFT JOIN (SELECT at.issue_pk, string_agg(at.extracted_text, E'\n' ORDER BY at.attachment_id) AS body
                   FROM ims.attachments at WHERE at.issue_pk = ANY (p_issue_pks)
                   GROUP BY at.issue_pk) AS a ON a.issue_pk = i.issue_pk
        CROSS JOIN LATERAL ims.fitted_search_document(i.title, i.description, c.body, a.body) AS f
        WHERE i.issue_pk = ANY (p_issue_pks)
        ON CONFLICT (issue_pk) DO UPDATE
            SET document = EXCLUDED.document, cut_from = EXCLUDED.cut_from, updated_at = now()
            WHERE (d.document, d.cut_from) IS DISTINCT FROM (EXCLUDED.document, EXCLUDED.cut_from);
    END;
END;
$$;


--
-- Name: refresh_materialized_views(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.refresh_materialized_views() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY ims.mv_daily_session_summary;
    REFRESH MATERIALIZED VIEW CONCURRENTLY ims.mv_issue_trends;
END;
$$;


--
-- Name: search_estimate(text, tsquery, text, text, text, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_estimate(p_condition text, p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM ims.issue_search_documents d WHERE ' || p_condition
            || replace(ims.search_filter_sql(p_product, p_status, p_priority, p_modified_from, p_modified_to),
                       'ims.product_in_family(d.product, $3)', 'd.product_family ILIKE $8')
        INTO plan
        USING p_query, NULL::tsquery, p_product, p_status, p_priority, p_modified_from, p_modified_to,
              replace(replace(replace(split_part(btrim(p_product), ' ', 1), '\', '\\'), '%', '\%'), '_', '\_');
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint;
END;
$_$;


--
-- Name: search_filter_sql(text, text, text, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_filter_sql(p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
    SELECT concat(
        CASE WHEN p_product IS NOT NULL THEN ' AND ims.product_in_family(d.product, $3)' END,
        CASE WHEN p_status IS NOT NULL THEN ' AND lower(d.status) = lower($4)' END,
        CASE WHEN p_priority IS NOT NULL THEN ' AND lower(d.priority) = lower($5)' END,
        CASE WHEN p_modified_from IS NOT NULL THEN ' AND d.modified_date >= $6' END,
        CASE WHEN p_modified_to IS NOT NULL THEN ' AND d.modified_date < $7' END);
$_$;


--
-- Name: search_head(tsvector); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_head(p_document tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT ts_filter(p_document, '{a,b}');
$$;


--
-- Name: search_issue_count(tsquery, text, text, text, timestamp with time zone, timestamp with time zone, integer, boolean); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_issue_count(p_query tsquery, p_product text DEFAULT NULL::text, p_status text DEFAULT NULL::text, p_priority text DEFAULT NULL::text, p_modified_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_modified_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_cap integer DEFAULT 10000, p_facets boolean DEFAULT false) RETURNS TABLE(total bigint, is_estimate boolean, facets jsonb)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET enable_seqscan TO 'off'
    AS $_$
DECLARE
    filters  text := ims.search_filter_sql(p_product, p_status, p_priority, p_modified_from, p_modified_to);
    counted  bigint;
    counts   jsonb;
    estimate bigint;
    scale    numeric;
    facet_sample constant integer := 2000;
    read_up_to integer := p_cap;
BEGIN
    IF p_query IS NULL THEN
        RETURN QUERY SELECT 0::bigint, false, CASE WHEN p_facets THEN '{"product": {}, "status": {}}'::jsonb END;
        RETURN;
    END IF;
    estimate := ims.search_estimate('d.document @@ $1', p_query, p_product, p_status, p_priority, p_modified_from, p_modified_to);
    IF estimate > 2 * p_cap THEN
        IF NOT p_facets THEN
            RETURN QUERY SELECT estimate, true, NULL::jsonb;
            RETURN;
        END IF;
        read_up_to := facet_sample;   -- the estimate stands; the facets come from a sample, scaled
    END IF;
    EXECUTE format($sql$
        WITH m AS MATERIALIZED (
            SELECT d.product_family, d.status FROM ims.issue_search_documents d
            WHERE d.document @@ $1%s LIMIT $8 + 1)
        SELECT (SELECT count(*) FROM m),
               CASE WHEN $9 THEN jsonb_build_object(
                   'product', (SELECT coalesce(jsonb_object_agg(f.name, f.n), '{}') FROM
                                 (SELECT coalesce(min(m.product_family), '(none)') AS name, count(*) AS n FROM m
                                  GROUP BY lower(m.product_family)) AS f),
                   'status', (SELECT coalesce(jsonb_object_agg(s.name, s.n), '{}') FROM
                                 (SELECT coalesce(m.status, '(none)') AS name, count(*) AS n FROM m GROUP BY m.status) AS s))
               END
        $sql$, filters)
        INTO counted, counts
        USING p_query, NULL::tsquery, p_product, p_status, p_priority, p_modified_from, p_modified_to, read_up_to, p_facets;
    IF counted <= read_up_to AND read_up_to = p_cap THEN
        RETURN QUERY SELECT counted, false, counts;
        RETURN;
    END IF;
    estimate := greatest(counted, estimate);
    scale := estimate::numeric / counted;
    RETURN QUERY SELECT estimate, true,
        CASE WHEN p_facets THEN (
            SELECT jsonb_object_agg(g.key, (SELECT coalesce(jsonb_object_agg(e.key, round(e.value::numeric * scale)), '{}')
                                            FROM jsonb_each_text(g.value) AS e))
            FROM jsonb_each(counts) AS g) END;
END;
$_$;


--
-- Name: search_issue_page(tsquery, text, text, text, timestamp with time zone, timestamp with time zone, integer, bigint, integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_issue_page(p_query tsquery, p_product text DEFAULT NULL::text, p_status text DEFAULT NULL::text, p_priority text DEFAULT NULL::text, p_modified_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_modified_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_after_tier integer DEFAULT NULL::integer, p_after_pk bigint DEFAULT NULL::bigint, p_limit integer DEFAULT 20) RETURNS TABLE(issue_pk bigint, tier integer, rank real)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET enable_seqscan TO 'off'
    SET enable_indexscan TO 'on'
    SET enable_bitmapscan TO 'on'
    AS $_$
DECLARE
    walk_from constant integer := 5000;
    estimate   bigint;
    counted    bigint;
    tiers constant text[] := ARRAY[
        'ims.search_title(d.document) @@ $1',
        'ims.search_head(d.document) @@ $1 AND NOT ims.search_title(d.document) @@ $1',
        'd.document @@ $1 AND NOT ims.search_head(d.document) @@ $1 AND d.document @@ $2',
        'd.document @@ $1 AND NOT ims.search_head(d.document) @@ $1 AND NOT d.document @@ $2'];
    -- what each tier's index finds: a superset of the tier
    supersets constant text[] := ARRAY['ims.search_title(d.document) @@ $1', 'ims.search_head(d.document) @@ $1',
                                       'd.document @@ $1', 'd.document @@ $1'];
    filters    text := ims.search_filter_sql(p_product, p_status, p_priority, p_modified_from, p_modified_to);
    remaining  integer := p_limit;
    found      integer;
    walk       boolean;
    first_tier integer := coalesce(p_after_tier, 1);
    keyset     text;
    with_weights tsquery := ims.tsquery_with_weights(p_query, 'ABC');
BEGIN
    IF p_query IS NULL OR p_limit IS NULL OR p_limit < 1 OR first_tier NOT BETWEEN 1 AND 4 THEN
        RETURN;
    END IF;
    FOR t IN first_tier..4 LOOP
        IF t < 4 OR walk IS NULL THEN
            estimate := ims.search_estimate(supersets[t], p_query, NULL, NULL, NULL, NULL, NULL);
            IF estimate < 1000 OR estimate > 100000 THEN
                walk := estimate > 100000;
            ELSE
                PERFORM set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'on', true);
                EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM ims.issue_search_documents d WHERE %s LIMIT $2) AS c', supersets[t])
                    INTO counted USING p_query, walk_from;
                walk := counted >= walk_from;
            END IF;
        END IF;
        keyset := CASE WHEN t = p_after_tier AND p_after_pk IS NOT NULL THEN ' AND d.issue_pk < $8' ELSE '' END;
        PERFORM set_config('enable_indexscan', CASE WHEN walk THEN 'on' ELSE 'off' END, true),
                set_config('enable_bitmapscan', CASE WHEN walk THEN 'off' ELSE 'on' END, true);
        IF walk THEN
            -- the fence (OFFSET 0) keeps the cheap filter columns ahead of the vector tests
            RETURN QUERY EXECUTE format(
                'SELECT d.issue_pk, %s, ims.search_tier_rank(%s) FROM (SELECT d.issue_pk, d.document '
                || 'FROM ims.issue_search_documents d WHERE true%s%s ORDER BY d.issue_pk DESC OFFSET 0) AS d WHERE %s LIMIT $9',
                t, t, filters, keyset, tiers[t])
                USING p_query, with_weights, p_product, p_status, p_priority, p_modified_from, p_modified_to, p_after_pk, remaining;
        ELSE
            RETURN QUERY EXECUTE format(
                'SELECT d.issue_pk, %s, ims.search_tier_rank(%s) FROM ims.issue_search_documents d WHERE %s%s%s ORDER BY d.issue_pk DESC LIMIT $9',
                t, t, tiers[t], filters, keyset)
                USING p_query, with_weights, p_product, p_status, p_priority, p_modified_from, p_modified_to, p_after_pk, remaining;
        END IF;
        GET DIAGNOSTICS found = ROW_COUNT;
        remaining := remaining - found;
        EXIT WHEN remaining <= 0;
    END LOOP;
END;
$_$;


--
-- Name: search_issues(text, character varying, integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_issues(p_search_query text, p_product character varying DEFAULT NULL::character varying, p_limit integer DEFAULT 100) RETURNS TABLE(issue_pk bigint, issue_id character varying, title text, description text, product character varying, status character varying, rank real)
    LANGUAGE sql STABLE
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


--
-- Name: search_term_query(text, boolean); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_term_query(p_term text, p_phrase boolean DEFAULT false) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    WITH term AS (
        SELECT CASE WHEN p_phrase THEN p_term
                    ELSE (SELECT string_agg(ims.strip_attached_particle(w), ' ')
                          FROM regexp_split_to_table(p_term, '\s+') AS w) END AS t
    ),
    latin_text AS (
        SELECT regexp_replace(term.t, ims.cjk_run_pattern(), ' ', 'g') AS t FROM term
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
        FROM term, regexp_matches(term.t, ims.cjk_run_pattern(), 'g') AS run(match)
    )
    SELECT nullif(string_agg('(' || q::text || ')', ' & '), '')::tsquery FROM parts;
$$;


--
-- Name: search_tier_rank(integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_tier_rank(p_tier integer) RETURNS real
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT (ARRAY[1.0, 0.4, 0.2, 0.1]::real[])[p_tier];
$$;


--
-- Name: search_title(tsvector); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.search_title(p_document tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT ts_filter(p_document, '{a}');
$$;


--
-- Name: set_current_user(integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.set_current_user(p_user_id integer) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT set_config('app.current_user_id', coalesce(p_user_id::text, ''), true);
$$;


--
-- Name: similar_issues(bigint, integer); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.similar_issues(p_issue_pk bigint, p_limit integer DEFAULT 10) RETURNS TABLE(issue_pk bigint, score real, shared text[])
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET enable_seqscan TO 'off'
    SET enable_indexscan TO 'on'
    SET enable_bitmapscan TO 'on'
    AS $_$
DECLARE
    lexemes    text[];
    weights    real[];
    best       real;
    heavy      integer;
    candidates bigint[] := '{}';
    any_of     text;
BEGIN
    WITH stats AS (
        SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs
        FROM pg_catalog.pg_stats s
        WHERE s.schemaname = 'ims' AND s.tablename = 'ix_issue_search_documents_head'
    ),
    terms AS (
        SELECT u.lexeme,
               (CASE WHEN 'A' = ANY (u.weights) THEN 2 ELSE 1 END
                * ln(1 / greatest(coalesce(
                      (SELECT st.freqs[array_position(st.elems, u.lexeme)] FROM stats st),
                      (SELECT st.freqs[cardinality(st.freqs) - 2] / 2 FROM stats st),
                      0.0001), 0.000001)))::real AS weight
        FROM ims.issue_search_documents d, unnest(ims.search_head(d.document)) AS u
        WHERE d.issue_pk = p_issue_pk AND length(u.lexeme) >= 2 AND u.lexeme !~ '^[0-9.]+$'
    )
    SELECT array_agg(t.lexeme ORDER BY t.weight DESC, t.lexeme), array_agg(t.weight ORDER BY t.weight DESC, t.lexeme)
    INTO lexemes, weights
    FROM (SELECT * FROM terms ORDER BY terms.weight DESC, terms.lexeme LIMIT 12) AS t
    WHERE t.weight > 0;
    IF lexemes IS NULL OR p_limit IS NULL OR p_limit < 1 THEN
        RETURN;
    END IF;
    best := 2 * (SELECT sum(w) FROM unnest(weights) AS w);
    heavy := least(6, cardinality(lexemes));

    FOR need IN REVERSE least(3, heavy)..1 LOOP
        -- "at least `need` of the heaviest terms": an OR of ANDs that the GIN index answers in one scan
        SELECT string_agg('(' || c.terms || ')', ' | ') INTO any_of
        FROM (SELECT string_agg(quote_literal(lexemes[e.k]), ' & ' ORDER BY e.k) AS terms
              FROM (SELECT all_sets.members, unnest(all_sets.members) AS k
                    FROM (SELECT ARRAY(SELECT g FROM generate_series(1, heavy) AS g WHERE (bits >> (g - 1)) & 1 = 1) AS members
                          FROM generate_series(1, (1 << heavy) - 1) AS bits) AS all_sets
                    WHERE cardinality(all_sets.members) = need) AS e
              GROUP BY e.members) AS c;
        IF ims.search_estimate('ims.search_head(d.document) @@ $1', any_of::tsquery, NULL, NULL, NULL, NULL, NULL) > 20000 THEN
            -- common terms: the newest issues that share them, found by walking back from the newest
            PERFORM set_config('enable_bitmapscan', 'off', true), set_config('enable_indexscan', 'on', true);
            EXECUTE 'SELECT $1 || ARRAY(SELECT d.issue_pk
                                        FROM (SELECT d.issue_pk, d.document FROM ims.issue_search_documents d
                                              ORDER BY d.issue_pk DESC OFFSET 0) AS d
                                        WHERE ims.search_head(d.document) @@ $2::tsquery AND d.issue_pk <> $3
                                          AND d.issue_pk <> ALL ($1)
                                        LIMIT 500)'
                INTO candidates USING candidates, any_of, p_issue_pk;
        ELSE
            PERFORM set_config('enable_bitmapscan', 'on', true), set_config('enable_indexscan', 'off', true);
            EXECUTE 'SELECT $1 || ARRAY(SELECT d.issue_pk FROM ims.issue_search_documents d
                                        WHERE ims.search_head(d.document) @@ $2::tsquery AND d.issue_pk <> $3
                                          AND d.issue_pk <> ALL ($1)
                                        LIMIT 2000)'
                INTO candidates USING candidates, any_of, p_issue_pk;
        END IF;
        EXIT WHEN cardinality(candidates) >= p_limit;
    END LOOP;

    RETURN QUERY
    SELECT d.issue_pk, (s.score / best)::real, s.shared
    FROM ims.issue_search_documents d
    CROSS JOIN LATERAL (SELECT tsvector_to_array(h.head) AS head, tsvector_to_array(ts_filter(h.head, '{a}')) AS title
                        FROM (SELECT ims.search_head(d.document) AS head OFFSET 0) AS h
                        OFFSET 0) AS a
    CROSS JOIN LATERAL (
        SELECT sum(u.w * CASE WHEN u.l = ANY (a.title) THEN 2 ELSE 1 END)::real AS score,
               array_agg(u.l ORDER BY u.w DESC) AS shared
        FROM unnest(lexemes, weights) AS u(l, w)
        WHERE u.l = ANY (a.head)) AS s
    WHERE d.issue_pk = ANY (candidates)
    ORDER BY s.score DESC NULLS LAST, d.issue_pk DESC
    LIMIT p_limit;
END;
$_$;


--
-- Name: stats_time_zone(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.stats_time_zone() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT coalesce(nullif(pg_catalog.current_setting('ims.stats_time_zone', true), ''), 'UTC');
$$;


--
-- Name: strip_attached_particle(text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.strip_attached_particle(p_term text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
    SELECT regexp_replace(p_term,
        '([A-Za-z0-9])(에서는|으로는|이라는|에서|으로|에게|까지|부터|처럼|보다|이나|이랑|이라|라는|이란|에는|'
        || '이|가|을|를|은|는|로|에|의|도|만|와|과|랑|란|'
        || 'から|まで|より|では|には|とは|って|は|が|を|に|で|と|の|も|へ|や)$',
        '\1');
$_$;


--
-- Name: text_search_vector(text, "char"); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.text_search_vector(p_text text, p_weight "char") RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$SELECT ims.text_search_vector_portable(p_text, p_weight)$$;


--
-- Name: text_search_vector_portable(text, "char"); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.text_search_vector_portable(p_text text, p_weight "char") RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT setweight(
        to_tsvector('english'::regconfig,
                    regexp_replace(coalesce(p_text, ''), ims.cjk_run_pattern(), ' ', 'g'))
        || ims.cjk_bigram_vector(p_text),
        p_weight);
$$;


--
-- Name: FUNCTION text_search_vector_portable(p_text text, p_weight "char"); Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON FUNCTION ims.text_search_vector_portable(p_text text, p_weight "char") IS 'ims.text_search_vector in SQL (sql/04): used where the ims_cjk_bigrams extension is not installed';


--
-- Name: trg_flush_issue_search_pending(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_flush_issue_search_pending() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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


--
-- Name: trg_issue_search_from_changed_rows(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_issue_search_from_changed_rows() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM ims.note_issue_search_pending(ARRAY(
        SELECT issue_pk FROM new_rows UNION SELECT issue_pk FROM old_rows));
    RETURN NULL;
END;
$$;


--
-- Name: trg_issue_search_from_issue_update(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_issue_search_from_issue_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM ims.note_issue_search_pending(ARRAY(
        SELECT n.issue_pk FROM new_rows n JOIN old_rows o ON o.issue_pk = n.issue_pk
        WHERE (n.title, n.description) IS DISTINCT FROM (o.title, o.description)));
    RETURN NULL;
END;
$$;


--
-- Name: trg_issue_search_from_new_rows(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_issue_search_from_new_rows() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM ims.note_issue_search_pending(ARRAY(SELECT issue_pk FROM new_rows));
    RETURN NULL;
END;
$$;


--
-- Name: trg_issue_search_from_old_rows(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_issue_search_from_old_rows() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM ims.note_issue_search_pending(ARRAY(SELECT issue_pk FROM old_rows));
    RETURN NULL;
END;
$$;


--
-- Name: trg_search_filter_columns_from_issue_update(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_search_filter_columns_from_issue_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    UPDATE ims.issue_search_documents d
    SET product = n.product, product_family = nullif(split_part(btrim(n.product), ' ', 1), ''),
        status = n.status, priority = n.priority, modified_date = n.modified_date
    FROM new_rows n JOIN old_rows o ON o.issue_pk = n.issue_pk
    WHERE d.issue_pk = n.issue_pk
      AND (n.product, n.status, n.priority, n.modified_date) IS DISTINCT FROM (o.product, o.status, o.priority, o.modified_date)
      AND (d.product, d.status, d.priority, d.modified_date) IS DISTINCT FROM (n.product, n.status, n.priority, n.modified_date);
    PERFORM ims.note_search_product_families(ARRAY(
        SELECT DISTINCT n.product FROM new_rows n JOIN old_rows o ON o.issue_pk = n.issue_pk
        WHERE n.product IS DISTINCT FROM o.product));
    RETURN NULL;
END;
$$;


--
-- Name: trg_search_filter_columns_from_new_issues(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_search_filter_columns_from_new_issues() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM ims.note_search_product_families(ARRAY(SELECT DISTINCT n.product FROM new_rows n));
    RETURN NULL;
END;
$$;


--
-- Name: trg_search_row_filter_columns(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_search_row_filter_columns() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    SELECT i.product, nullif(split_part(btrim(i.product), ' ', 1), ''), i.status, i.priority, i.modified_date
    INTO NEW.product, NEW.product_family, NEW.status, NEW.priority, NEW.modified_date
    FROM ims.issues i WHERE i.issue_pk = NEW.issue_pk;
    RETURN NEW;
END;
$$;


--
-- Name: trg_user_issues_from_deleted_sessions(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_user_issues_from_deleted_sessions() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM ims.prune_user_issues(ARRAY(SELECT DISTINCT user_id FROM old_rows));
    RETURN NULL;
END;
$$;


--
-- Name: trg_user_issues_from_new_links(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_user_issues_from_new_links() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    INSERT INTO ims.user_issues (user_id, issue_pk)
    SELECT DISTINCT cs.user_id, n.issue_pk
    FROM new_rows n JOIN ims.crawl_sessions cs ON cs.session_id = n.session_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;


--
-- Name: trg_user_issues_from_removed_links(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.trg_user_issues_from_removed_links() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM ims.prune_user_issues(
        ARRAY(SELECT DISTINCT cs.user_id FROM old_rows o JOIN ims.crawl_sessions cs ON cs.session_id = o.session_id),
        ARRAY(SELECT DISTINCT o.issue_pk FROM old_rows o));
    RETURN NULL;
END;
$$;


--
-- Name: tsquery_with_weights(tsquery, text); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.tsquery_with_weights(p_query tsquery, p_weights text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT regexp_replace(p_query::text, '(''(?:[^'']|'''')*'')(?::(\*))?', '\1:\2' || p_weights, 'g')::tsquery;
$$;


--
-- Name: update_updated_at(); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.update_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- An UPDATE that changes nothing keeps its timestamp, so "unchanged" stays visible.
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;


--
-- Name: upsert_issue(character varying, text, text, character varying, character varying, jsonb); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.upsert_issue(p_issue_id character varying, p_title text, p_description text, p_product character varying, p_status character varying, p_full_data jsonb) RETURNS bigint
    LANGUAGE sql
    AS $$
    -- NOT NULL is checked on the proposed row before the conflict is seen, so a blank title for an
    -- existing issue takes the stored one here; a new issue without a title stores "".
    INSERT INTO ims.issues AS i (issue_id, title, description, product, status, full_data)
    VALUES (p_issue_id,
            coalesce(nullif(btrim(p_title, E' \t\r\n'), ''),
                     (SELECT s.title FROM ims.issues s WHERE s.issue_id = p_issue_id), ''),
            nullif(btrim(p_description, E' \t\r\n'), ''),
            nullif(btrim(p_product, E' \t\r\n'), ''),
            nullif(btrim(p_status, E' \t\r\n'), ''),
            p_full_data)
    ON CONFLICT (issue_id) DO UPDATE SET
        title           = CASE WHEN EXCLUDED.title = '' THEN i.title ELSE EXCLUDED.title END,
        description     = coalesce(EXCLUDED.description, i.description),
        product         = coalesce(EXCLUDED.product, i.product),
        status          = coalesce(EXCLUDED.status, i.status),
        full_data       = ims.merge_crawled_record(i.full_data, EXCLUDED.full_data),
        crawl_count     = coalesce(i.crawl_count, 0) + 1,
        last_crawled_at = now()
    RETURNING i.issue_pk;
$$;


--
-- Name: use_native_cjk_bigrams(boolean); Type: FUNCTION; Schema: ims; Owner: -
--

CREATE FUNCTION ims.use_native_cjk_bigrams(p_enable boolean DEFAULT true) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    native boolean := p_enable
        AND getdatabaseencoding() = 'UTF8'
        AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'ims_cjk_bigrams');
BEGIN
    IF native THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS ims_cjk_bigrams SCHEMA ims;
        EXCEPTION WHEN OTHERS THEN
            -- not a superuser, or a library built for another server version: the SQL definitions serve
            RAISE WARNING 'ims_cjk_bigrams is installed but could not be created (%): the CJK bigrams stay in SQL', SQLERRM;
            native := false;
        END;
    END IF;

    IF native THEN
        GRANT EXECUTE ON FUNCTION ims.cjk_bigram_vector_native(text), ims.cjk_runs_to_spaces_native(text)
            TO ims_admin, ims_user, ims_readonly;
        CREATE OR REPLACE FUNCTION ims.cjk_bigram_vector(p_text text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS 'SELECT ims.cjk_bigram_vector_native(coalesce(p_text, ''''))';
        CREATE OR REPLACE FUNCTION ims.text_search_vector(p_text text, p_weight "char")
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $f$
            SELECT setweight(
                to_tsvector('english'::regconfig, ims.cjk_runs_to_spaces_native(coalesce(p_text, '')))
                || ims.cjk_bigram_vector_native(coalesce(p_text, '')),
                p_weight);
        $f$;
    ELSE
        CREATE OR REPLACE FUNCTION ims.cjk_bigram_vector(p_text text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS 'SELECT ims.cjk_bigram_vector_portable(p_text)';
        CREATE OR REPLACE FUNCTION ims.text_search_vector(p_text text, p_weight "char")
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS 'SELECT ims.text_search_vector_portable(p_text, p_weight)';
        IF NOT p_enable THEN
            DROP EXTENSION IF EXISTS ims_cjk_bigrams;
        END IF;
    END IF;
    RAISE NOTICE '%', CASE WHEN native
        THEN 'search documents: CJK bigrams built by the ims_cjk_bigrams extension (C)'
        ELSE 'search documents: CJK bigrams built in SQL (the optional ims_cjk_bigrams extension is not in use; see docs/schema.md)'
    END;
    RETURN native;
END;
$_$;


--
-- Name: FUNCTION use_native_cjk_bigrams(p_enable boolean); Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON FUNCTION ims.use_native_cjk_bigrams(p_enable boolean) IS 'Defines ims.cjk_bigram_vector and ims.text_search_vector with the ims_cjk_bigrams extension (C) when it is installed, else in SQL; true when native';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: analytics_daily; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.analytics_daily (
    stat_id bigint NOT NULL,
    user_id integer,
    stat_date date NOT NULL,
    sessions_count integer DEFAULT 0,
    successful_sessions integer DEFAULT 0,
    failed_sessions integer DEFAULT 0,
    issues_crawled integer DEFAULT 0,
    unique_issues integer DEFAULT 0,
    new_issues integer DEFAULT 0,
    attachments_downloaded integer DEFAULT 0,
    avg_session_duration_sec integer,
    avg_issues_per_session numeric(10,2),
    product_stats jsonb DEFAULT '{}'::jsonb,
    top_queries jsonb DEFAULT '[]'::jsonb,
    created_at timestamp with time zone DEFAULT now()
);

ALTER TABLE ONLY ims.analytics_daily FORCE ROW LEVEL SECURITY;


--
-- Name: analytics_daily_stat_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.analytics_daily_stat_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: analytics_daily_stat_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.analytics_daily_stat_id_seq OWNED BY ims.analytics_daily.stat_id;


--
-- Name: analytics_monthly; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.analytics_monthly (
    stat_id bigint NOT NULL,
    user_id integer,
    year integer NOT NULL,
    month integer NOT NULL,
    total_sessions integer DEFAULT 0,
    avg_sessions_per_day numeric(10,2),
    total_issues_crawled integer DEFAULT 0,
    unique_issues integer DEFAULT 0,
    keyword_trends jsonb DEFAULT '{}'::jsonb,
    product_distribution jsonb DEFAULT '{}'::jsonb,
    issue_status_breakdown jsonb DEFAULT '{}'::jsonb,
    avg_parsing_confidence numeric(5,2),
    synonym_expansion_rate numeric(5,2),
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT analytics_monthly_month_check CHECK (((month >= 1) AND (month <= 12)))
);

ALTER TABLE ONLY ims.analytics_monthly FORCE ROW LEVEL SECURITY;


--
-- Name: analytics_monthly_stat_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.analytics_monthly_stat_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: analytics_monthly_stat_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.analytics_monthly_stat_id_seq OWNED BY ims.analytics_monthly.stat_id;


--
-- Name: api_keys; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.api_keys (
    key_id bigint NOT NULL,
    user_id integer NOT NULL,
    name character varying(100) NOT NULL,
    key_prefix character varying(20) NOT NULL,
    key_hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone
);

ALTER TABLE ONLY ims.api_keys FORCE ROW LEVEL SECURITY;


--
-- Name: TABLE api_keys; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.api_keys IS 'API keys (hashed) for the HTTP API; a revoked key stays for the audit trail';


--
-- Name: api_keys_key_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.api_keys_key_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: api_keys_key_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.api_keys_key_id_seq OWNED BY ims.api_keys.key_id;


--
-- Name: attachments; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.attachments (
    attachment_id bigint NOT NULL,
    issue_pk bigint NOT NULL,
    session_id bigint,
    filename character varying(500) NOT NULL,
    file_type character varying(100),
    file_size bigint,
    file_path text,
    download_url text,
    downloaded boolean DEFAULT false,
    download_error text,
    extracted_text text,
    text_extracted boolean DEFAULT false,
    created_at timestamp with time zone DEFAULT now()
);

ALTER TABLE ONLY ims.attachments FORCE ROW LEVEL SECURITY;


--
-- Name: attachments_attachment_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.attachments_attachment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: attachments_attachment_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.attachments_attachment_id_seq OWNED BY ims.attachments.attachment_id;


--
-- Name: audit_log; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.audit_log (
    log_id bigint NOT NULL,
    user_id integer,
    action character varying(100) NOT NULL,
    resource_type character varying(50),
    resource_id character varying(100),
    old_value jsonb,
    new_value jsonb,
    ip_address inet,
    user_agent text,
    created_at timestamp with time zone DEFAULT now()
);

ALTER TABLE ONLY ims.audit_log FORCE ROW LEVEL SECURITY;


--
-- Name: audit_log_log_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.audit_log_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_log_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.audit_log_log_id_seq OWNED BY ims.audit_log.log_id;


--
-- Name: crawl_sessions; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.crawl_sessions (
    session_id bigint NOT NULL,
    session_uuid character varying(100) NOT NULL,
    user_id integer NOT NULL,
    product character varying(100) NOT NULL,
    original_query text NOT NULL,
    parsed_query text NOT NULL,
    query_language character varying(10) DEFAULT 'en'::character varying,
    max_results integer DEFAULT 100,
    crawl_related boolean DEFAULT false,
    status character varying(20) DEFAULT 'running'::character varying,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone,
    duration_seconds integer,
    total_issues_found integer DEFAULT 0,
    issues_crawled integer DEFAULT 0,
    attachments_downloaded integer DEFAULT 0,
    failed_issues integer DEFAULT 0,
    related_issues integer DEFAULT 0,
    search_time_ms integer,
    crawl_time_ms integer,
    avg_issue_time_ms integer,
    parallel_workers integer DEFAULT 1,
    data_path text,
    metadata jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT crawl_sessions_status_check CHECK (((status)::text = ANY ((ARRAY['running'::character varying, 'completed'::character varying, 'failed'::character varying, 'cancelled'::character varying])::text[])))
);

ALTER TABLE ONLY ims.crawl_sessions FORCE ROW LEVEL SECURITY;


--
-- Name: crawl_sessions_session_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.crawl_sessions_session_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: crawl_sessions_session_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.crawl_sessions_session_id_seq OWNED BY ims.crawl_sessions.session_id;


--
-- Name: issue_comments; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.issue_comments (
    comment_id bigint NOT NULL,
    issue_pk bigint NOT NULL,
    comment_number integer,
    author character varying(100),
    content text,
    commented_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now()
);


--
-- Name: issue_comments_comment_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.issue_comments_comment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: issue_comments_comment_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.issue_comments_comment_id_seq OWNED BY ims.issue_comments.comment_id;


--
-- Name: issue_history; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.issue_history (
    history_id bigint NOT NULL,
    issue_pk bigint NOT NULL,
    changed_by character varying(100),
    changed_at timestamp with time zone,
    change_type character varying(50),
    field_name character varying(100),
    old_value text,
    new_value text,
    description text,
    created_at timestamp with time zone DEFAULT now()
);


--
-- Name: issue_history_history_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.issue_history_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: issue_history_history_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.issue_history_history_id_seq OWNED BY ims.issue_history.history_id;


--
-- Name: issue_search_documents; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.issue_search_documents (
    issue_pk bigint NOT NULL,
    document tsvector NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    cut_from text,
    product character varying(100),
    product_family character varying(100),
    status character varying(50),
    priority character varying(20),
    modified_date timestamp with time zone,
    CONSTRAINT issue_search_documents_cut_from_check CHECK ((cut_from = ANY (ARRAY['title'::text, 'description'::text, 'comments'::text, 'attachments'::text])))
)
WITH (toast_tuple_target='128');
ALTER TABLE ONLY ims.issue_search_documents ALTER COLUMN document SET COMPRESSION lz4;


--
-- Name: TABLE issue_search_documents; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.issue_search_documents IS 'Full-text document per issue (title A, description B, comments C, attachment text D); maintained by triggers, never written directly';


--
-- Name: COLUMN issue_search_documents.cut_from; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON COLUMN ims.issue_search_documents.cut_from IS 'NULL: the whole text is searchable; else the part (title, description, comments, attachments) where the document reached the tsvector limit: that part only in part, later parts not at all';


--
-- Name: COLUMN issue_search_documents.product_family; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON COLUMN ims.issue_search_documents.product_family IS 'First word of the product (OpenFrame for OpenFrame Batch): facets';


--
-- Name: issue_search_pending; Type: TABLE; Schema: ims; Owner: -
--

CREATE UNLOGGED TABLE ims.issue_search_pending (
    issue_pk bigint NOT NULL
);


--
-- Name: TABLE issue_search_pending; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.issue_search_pending IS 'Issues whose search document the current transaction must rebuild at commit; always empty outside a transaction';


--
-- Name: issues; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.issues (
    issue_pk bigint NOT NULL,
    issue_id character varying(50) NOT NULL,
    title text NOT NULL,
    description text,
    product character varying(100),
    status character varying(50),
    priority character varying(20),
    severity character varying(20),
    issue_type character varying(50),
    reporter character varying(100),
    owner character varying(100),
    manager character varying(100),
    registered_date timestamp with time zone,
    modified_date timestamp with time zone,
    closed_date timestamp with time zone,
    project_code character varying(100),
    project_name character varying(200),
    site character varying(100),
    customer character varying(200),
    found_version character varying(100),
    fixed_version character varying(100),
    target_version character varying(100),
    full_data jsonb,
    first_crawled_at timestamp with time zone DEFAULT now(),
    last_crawled_at timestamp with time zone DEFAULT now(),
    crawl_count integer DEFAULT 1,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
);


--
-- Name: issues_issue_pk_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.issues_issue_pk_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: issues_issue_pk_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.issues_issue_pk_seq OWNED BY ims.issues.issue_pk;


--
-- Name: job_backups; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.job_backups (
    backup_id bigint NOT NULL,
    file_name text NOT NULL,
    directory text NOT NULL,
    size_bytes bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    server_version text,
    removed_at timestamp with time zone
);


--
-- Name: TABLE job_backups; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.job_backups IS 'pg_dump -Fc files written by the backup job; removed_at once retention deleted the file';


--
-- Name: job_backups_backup_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.job_backups_backup_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: job_backups_backup_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.job_backups_backup_id_seq OWNED BY ims.job_backups.backup_id;


--
-- Name: job_requests; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.job_requests (
    request_id bigint NOT NULL,
    job_name character varying(50) NOT NULL,
    period_key character varying(20),
    requested_by text NOT NULL,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    picked_at timestamp with time zone,
    picked_by text
);


--
-- Name: TABLE job_requests; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.job_requests IS 'Run-now requests; picked once by one Jobs instance';


--
-- Name: job_requests_request_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.job_requests_request_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: job_requests_request_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.job_requests_request_id_seq OWNED BY ims.job_requests.request_id;


--
-- Name: job_runs; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.job_runs (
    run_id bigint NOT NULL,
    job_name character varying(50) NOT NULL,
    period_key character varying(20) NOT NULL,
    period_from timestamp with time zone,
    period_to timestamp with time zone,
    trigger character varying(10) NOT NULL,
    request_id bigint,
    status character varying(10) NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    rows_affected bigint,
    error text,
    details jsonb,
    instance text,
    CONSTRAINT job_runs_check CHECK ((((status)::text = 'running'::text) = (finished_at IS NULL))),
    CONSTRAINT job_runs_status_check CHECK (((status)::text = ANY ((ARRAY['running'::character varying, 'succeeded'::character varying, 'failed'::character varying, 'skipped'::character varying])::text[]))),
    CONSTRAINT job_runs_trigger_check CHECK (((trigger)::text = ANY ((ARRAY['schedule'::character varying, 'catch-up'::character varying, 'manual'::character varying])::text[])))
);


--
-- Name: TABLE job_runs; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.job_runs IS 'One row per job run (scheduled, catch-up or manual)';


--
-- Name: job_runs_run_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.job_runs_run_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: job_runs_run_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.job_runs_run_id_seq OWNED BY ims.job_runs.run_id;


--
-- Name: job_schedules; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.job_schedules (
    job_name character varying(50) NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    schedule character varying(100) NOT NULL,
    time_zone character varying(100) NOT NULL,
    period_kind character varying(10) NOT NULL,
    enabled boolean NOT NULL,
    next_run_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text,
    CONSTRAINT job_schedules_period_kind_check CHECK (((period_kind)::text = ANY ((ARRAY['day'::character varying, 'month'::character varying, 'occurrence'::character varying])::text[])))
);


--
-- Name: TABLE job_schedules; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.job_schedules IS 'Schedule and next run of each job, as the running Jobs service configured it';


--
-- Name: mv_daily_session_summary; Type: MATERIALIZED VIEW; Schema: ims; Owner: -
--

CREATE MATERIALIZED VIEW ims.mv_daily_session_summary AS
 SELECT ((cs.started_at AT TIME ZONE ims.stats_time_zone()))::date AS day,
    cs.product,
    cs.user_id,
    count(*) AS session_count,
    count(*) FILTER (WHERE ((cs.status)::text = 'completed'::text)) AS completed_count,
    count(*) FILTER (WHERE ((cs.status)::text = 'failed'::text)) AS failed_count,
    COALESCE(sum(cs.issues_crawled), (0)::bigint) AS issues_crawled,
    COALESCE(sum(cs.attachments_downloaded), (0)::bigint) AS attachments_downloaded,
    round(avg(cs.duration_seconds), 2) AS avg_duration_sec,
    COALESCE(sum(cs.duration_seconds), (0)::bigint) AS total_duration_sec
   FROM ims.crawl_sessions cs
  GROUP BY (((cs.started_at AT TIME ZONE ims.stats_time_zone()))::date), cs.product, cs.user_id
  WITH NO DATA;


--
-- Name: mv_issue_trends; Type: MATERIALIZED VIEW; Schema: ims; Owner: -
--

CREATE MATERIALIZED VIEW ims.mv_issue_trends AS
 SELECT (COALESCE(i.product, '(none)'::character varying))::character varying(100) AS product,
    (COALESCE(i.status, '(none)'::character varying))::character varying(50) AS status,
    (COALESCE(i.priority, '(none)'::character varying))::character varying(20) AS priority,
    (date_trunc('week'::text, (COALESCE(i.registered_date, i.first_crawled_at) AT TIME ZONE ims.stats_time_zone())))::date AS week,
    count(*) AS issue_count,
    count(*) FILTER (WHERE ((i.closed_date IS NOT NULL) OR ims.is_closed_status((i.status)::text))) AS closed_count,
    round(avg((EXTRACT(epoch FROM (i.closed_date - i.registered_date)) / 86400.0)) FILTER (WHERE ((i.closed_date IS NOT NULL) AND (i.registered_date IS NOT NULL))), 2) AS avg_days_to_close
   FROM ims.issues i
  GROUP BY ((COALESCE(i.product, '(none)'::character varying))::character varying(100)), ((COALESCE(i.status, '(none)'::character varying))::character varying(50)), ((COALESCE(i.priority, '(none)'::character varying))::character varying(20)), ((date_trunc('week'::text, (COALESCE(i.registered_date, i.first_crawled_at) AT TIME ZONE ims.stats_time_zone())))::date)
  WITH NO DATA;


--
-- Name: search_intent_phrases; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.search_intent_phrases (
    phrase text NOT NULL,
    language character varying(2) NOT NULL,
    CONSTRAINT search_intent_phrases_language_check CHECK (((language)::text = ANY ((ARRAY['ko'::character varying, 'ja'::character varying, 'en'::character varying])::text[]))),
    CONSTRAINT search_intent_phrases_phrase_check CHECK (((phrase = lower(btrim(phrase))) AND (phrase <> ''::text)))
);


--
-- Name: TABLE search_intent_phrases; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.search_intent_phrases IS 'Intent and filler words/phrases dropped before matching ("해결 방법", "について", "how to fix"); lower case, words separated by one space';


--
-- Name: search_product_families; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.search_product_families (
    family_key text NOT NULL,
    family character varying(100) NOT NULL
);


--
-- Name: TABLE search_product_families; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.search_product_families IS 'Product families (first word of ims.issues.product) known to search; maintained with the search documents';


--
-- Name: search_queries; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.search_queries (
    query_id bigint NOT NULL,
    user_id integer NOT NULL,
    session_id bigint,
    original_query text NOT NULL,
    parsed_query text,
    query_language character varying(10),
    product character varying(100),
    results_count integer,
    parsing_method character varying(50),
    parsing_confidence numeric(5,2),
    synonym_expanded boolean DEFAULT false,
    intent_filtered boolean DEFAULT false,
    queried_at timestamp with time zone DEFAULT now()
);

ALTER TABLE ONLY ims.search_queries FORCE ROW LEVEL SECURITY;


--
-- Name: search_queries_query_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.search_queries_query_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: search_queries_query_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.search_queries_query_id_seq OWNED BY ims.search_queries.query_id;


--
-- Name: session_errors; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.session_errors (
    error_id bigint NOT NULL,
    session_id bigint NOT NULL,
    error_type character varying(50),
    severity character varying(20),
    error_message text,
    error_detail jsonb,
    occurred_at timestamp with time zone DEFAULT now(),
    CONSTRAINT session_errors_severity_check CHECK (((severity)::text = ANY ((ARRAY['error'::character varying, 'warning'::character varying, 'info'::character varying])::text[])))
);

ALTER TABLE ONLY ims.session_errors FORCE ROW LEVEL SECURITY;


--
-- Name: session_errors_error_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.session_errors_error_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: session_errors_error_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.session_errors_error_id_seq OWNED BY ims.session_errors.error_id;


--
-- Name: session_issues; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.session_issues (
    session_issue_id bigint NOT NULL,
    session_id bigint NOT NULL,
    issue_pk bigint NOT NULL,
    crawl_order integer,
    crawl_duration_ms integer,
    had_errors boolean DEFAULT false,
    error_message text,
    created_at timestamp with time zone DEFAULT now()
);

ALTER TABLE ONLY ims.session_issues FORCE ROW LEVEL SECURITY;


--
-- Name: session_issues_session_issue_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.session_issues_session_issue_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: session_issues_session_issue_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.session_issues_session_issue_id_seq OWNED BY ims.session_issues.session_issue_id;


--
-- Name: user_issues; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.user_issues (
    user_id integer NOT NULL,
    issue_pk bigint NOT NULL
);

ALTER TABLE ONLY ims.user_issues FORCE ROW LEVEL SECURITY;


--
-- Name: TABLE user_issues; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON TABLE ims.user_issues IS 'Distinct issues linked to each user''s sessions; maintained by triggers on session_issues and crawl_sessions';


--
-- Name: users; Type: TABLE; Schema: ims; Owner: -
--

CREATE TABLE ims.users (
    user_id integer NOT NULL,
    username character varying(100) NOT NULL,
    email character varying(255),
    full_name character varying(200),
    department character varying(100),
    role character varying(50) DEFAULT 'user'::character varying,
    is_active boolean DEFAULT true,
    preferences jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    last_login_at timestamp with time zone,
    CONSTRAINT users_role_check CHECK (((role)::text = ANY ((ARRAY['admin'::character varying, 'user'::character varying, 'readonly'::character varying])::text[])))
);

ALTER TABLE ONLY ims.users FORCE ROW LEVEL SECURITY;


--
-- Name: users_user_id_seq; Type: SEQUENCE; Schema: ims; Owner: -
--

CREATE SEQUENCE ims.users_user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_user_id_seq; Type: SEQUENCE OWNED BY; Schema: ims; Owner: -
--

ALTER SEQUENCE ims.users_user_id_seq OWNED BY ims.users.user_id;


--
-- Name: v_issue_search; Type: VIEW; Schema: ims; Owner: -
--

CREATE VIEW ims.v_issue_search WITH (security_invoker='true') AS
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
    ( SELECT count(*) AS count
           FROM ims.issue_comments c
          WHERE (c.issue_pk = i.issue_pk)) AS comment_count,
    ( SELECT count(*) AS count
           FROM ims.issue_history h
          WHERE (h.issue_pk = i.issue_pk)) AS history_count,
    ( SELECT count(*) AS count
           FROM ims.attachments a
          WHERE (a.issue_pk = i.issue_pk)) AS attachment_count,
    ( SELECT count(*) AS count
           FROM ims.session_issues si
          WHERE (si.issue_pk = i.issue_pk)) AS session_count
   FROM ims.issues i;


--
-- Name: v_product_stats; Type: VIEW; Schema: ims; Owner: -
--

CREATE VIEW ims.v_product_stats WITH (security_invoker='true') AS
 SELECT s.product,
    s.total_sessions,
    s.successful_sessions,
    s.failed_sessions,
    s.user_count,
    s.total_issues_crawled,
    COALESCE(l.unique_issues, (0)::bigint) AS unique_issues,
    s.avg_session_duration_sec,
    s.avg_issues_per_session,
    s.last_crawled_at
   FROM (( SELECT cs.product,
            count(*) AS total_sessions,
            count(*) FILTER (WHERE ((cs.status)::text = 'completed'::text)) AS successful_sessions,
            count(*) FILTER (WHERE ((cs.status)::text = 'failed'::text)) AS failed_sessions,
            count(DISTINCT cs.user_id) AS user_count,
            COALESCE(sum(cs.issues_crawled), (0)::bigint) AS total_issues_crawled,
            round(avg(cs.duration_seconds), 2) AS avg_session_duration_sec,
            round(avg(COALESCE(cs.issues_crawled, 0)), 2) AS avg_issues_per_session,
            max(cs.started_at) AS last_crawled_at
           FROM ims.crawl_sessions cs
          GROUP BY cs.product) s
     LEFT JOIN ( SELECT cs.product,
            count(DISTINCT si.issue_pk) AS unique_issues
           FROM (ims.session_issues si
             JOIN ims.crawl_sessions cs ON ((cs.session_id = si.session_id)))
          GROUP BY cs.product) l ON (((l.product)::text = (s.product)::text)));


--
-- Name: v_recent_activity; Type: VIEW; Schema: ims; Owner: -
--

CREATE VIEW ims.v_recent_activity WITH (security_invoker='true') AS
 SELECT cs.user_id,
    u.username,
    'crawl'::character varying(20) AS activity_type,
    cs.session_id,
    cs.session_uuid,
    cs.product,
    cs.original_query AS query,
    cs.status,
    cs.issues_crawled AS result_count,
    cs.started_at AS activity_at
   FROM (ims.crawl_sessions cs
     LEFT JOIN ims.users u ON ((u.user_id = cs.user_id)))
  WHERE (cs.started_at >= (now() - '30 days'::interval))
UNION ALL
 SELECT sq.user_id,
    u.username,
    'search'::character varying(20) AS activity_type,
    sq.session_id,
    NULL::character varying AS session_uuid,
    sq.product,
    sq.original_query AS query,
    NULL::character varying AS status,
    sq.results_count AS result_count,
    sq.queried_at AS activity_at
   FROM (ims.search_queries sq
     LEFT JOIN ims.users u ON ((u.user_id = sq.user_id)))
  WHERE (sq.queried_at >= (now() - '30 days'::interval));


--
-- Name: v_session_detail; Type: VIEW; Schema: ims; Owner: -
--

CREATE VIEW ims.v_session_detail WITH (security_invoker='true') AS
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
    COALESCE(li.linked_issues, (0)::bigint) AS linked_issues,
    COALESCE(li.issues_with_errors, (0)::bigint) AS issues_with_errors,
    COALESCE(e.error_count, (0)::bigint) AS error_count,
    COALESCE(a.attachment_count, (0)::bigint) AS attachment_count
   FROM ((((ims.crawl_sessions cs
     LEFT JOIN ims.users u ON ((u.user_id = cs.user_id)))
     LEFT JOIN ( SELECT si.session_id,
            count(*) AS linked_issues,
            count(*) FILTER (WHERE si.had_errors) AS issues_with_errors
           FROM ims.session_issues si
          GROUP BY si.session_id) li ON ((li.session_id = cs.session_id)))
     LEFT JOIN ( SELECT se.session_id,
            count(*) AS error_count
           FROM ims.session_errors se
          GROUP BY se.session_id) e ON ((e.session_id = cs.session_id)))
     LEFT JOIN ( SELECT at.session_id,
            count(*) AS attachment_count
           FROM ims.attachments at
          WHERE (at.session_id IS NOT NULL)
          GROUP BY at.session_id) a ON ((a.session_id = cs.session_id)));


--
-- Name: v_user_dashboard; Type: VIEW; Schema: ims; Owner: -
--

CREATE VIEW ims.v_user_dashboard WITH (security_invoker='true') AS
 SELECT u.user_id,
    u.username,
    u.full_name,
    u.department,
    u.role,
    u.is_active,
    u.last_login_at,
    COALESCE(s.total_sessions, (0)::bigint) AS total_sessions,
    COALESCE(s.successful_sessions, (0)::bigint) AS successful_sessions,
    COALESCE(s.failed_sessions, (0)::bigint) AS failed_sessions,
    COALESCE(s.running_sessions, (0)::bigint) AS running_sessions,
    COALESCE(s.total_issues_crawled, (0)::bigint) AS total_issues_crawled,
    COALESCE(l.unique_issues, (0)::bigint) AS unique_issues,
    COALESCE(s.total_attachments, (0)::bigint) AS total_attachments,
    s.avg_session_duration_sec,
    s.last_session_at,
    COALESCE(q.total_searches, (0)::bigint) AS total_searches
   FROM (((ims.users u
     LEFT JOIN ( SELECT cs.user_id,
            count(*) AS total_sessions,
            count(*) FILTER (WHERE ((cs.status)::text = 'completed'::text)) AS successful_sessions,
            count(*) FILTER (WHERE ((cs.status)::text = 'failed'::text)) AS failed_sessions,
            count(*) FILTER (WHERE ((cs.status)::text = 'running'::text)) AS running_sessions,
            sum(cs.issues_crawled) AS total_issues_crawled,
            sum(cs.attachments_downloaded) AS total_attachments,
            round(avg(cs.duration_seconds), 2) AS avg_session_duration_sec,
            max(cs.started_at) AS last_session_at
           FROM ims.crawl_sessions cs
          GROUP BY cs.user_id) s ON ((s.user_id = u.user_id)))
     LEFT JOIN ( SELECT ui.user_id,
            count(*) AS unique_issues
           FROM ims.user_issues ui
          GROUP BY ui.user_id) l ON ((l.user_id = u.user_id)))
     LEFT JOIN ( SELECT sq.user_id,
            count(*) AS total_searches
           FROM ims.search_queries sq
          GROUP BY sq.user_id) q ON ((q.user_id = u.user_id)));


--
-- Name: analytics_daily stat_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.analytics_daily ALTER COLUMN stat_id SET DEFAULT nextval('ims.analytics_daily_stat_id_seq'::regclass);


--
-- Name: analytics_monthly stat_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.analytics_monthly ALTER COLUMN stat_id SET DEFAULT nextval('ims.analytics_monthly_stat_id_seq'::regclass);


--
-- Name: api_keys key_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.api_keys ALTER COLUMN key_id SET DEFAULT nextval('ims.api_keys_key_id_seq'::regclass);


--
-- Name: attachments attachment_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.attachments ALTER COLUMN attachment_id SET DEFAULT nextval('ims.attachments_attachment_id_seq'::regclass);


--
-- Name: audit_log log_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.audit_log ALTER COLUMN log_id SET DEFAULT nextval('ims.audit_log_log_id_seq'::regclass);


--
-- Name: crawl_sessions session_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.crawl_sessions ALTER COLUMN session_id SET DEFAULT nextval('ims.crawl_sessions_session_id_seq'::regclass);


--
-- Name: issue_comments comment_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issue_comments ALTER COLUMN comment_id SET DEFAULT nextval('ims.issue_comments_comment_id_seq'::regclass);


--
-- Name: issue_history history_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issue_history ALTER COLUMN history_id SET DEFAULT nextval('ims.issue_history_history_id_seq'::regclass);


--
-- Name: issues issue_pk; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issues ALTER COLUMN issue_pk SET DEFAULT nextval('ims.issues_issue_pk_seq'::regclass);


--
-- Name: job_backups backup_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_backups ALTER COLUMN backup_id SET DEFAULT nextval('ims.job_backups_backup_id_seq'::regclass);


--
-- Name: job_requests request_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_requests ALTER COLUMN request_id SET DEFAULT nextval('ims.job_requests_request_id_seq'::regclass);


--
-- Name: job_runs run_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_runs ALTER COLUMN run_id SET DEFAULT nextval('ims.job_runs_run_id_seq'::regclass);


--
-- Name: search_queries query_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.search_queries ALTER COLUMN query_id SET DEFAULT nextval('ims.search_queries_query_id_seq'::regclass);


--
-- Name: session_errors error_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.session_errors ALTER COLUMN error_id SET DEFAULT nextval('ims.session_errors_error_id_seq'::regclass);


--
-- Name: session_issues session_issue_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.session_issues ALTER COLUMN session_issue_id SET DEFAULT nextval('ims.session_issues_session_issue_id_seq'::regclass);


--
-- Name: users user_id; Type: DEFAULT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.users ALTER COLUMN user_id SET DEFAULT nextval('ims.users_user_id_seq'::regclass);


--
-- Name: analytics_daily analytics_daily_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.analytics_daily
    ADD CONSTRAINT analytics_daily_pkey PRIMARY KEY (stat_id);


--
-- Name: analytics_daily analytics_daily_user_id_stat_date_key; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.analytics_daily
    ADD CONSTRAINT analytics_daily_user_id_stat_date_key UNIQUE (user_id, stat_date);


--
-- Name: analytics_monthly analytics_monthly_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.analytics_monthly
    ADD CONSTRAINT analytics_monthly_pkey PRIMARY KEY (stat_id);


--
-- Name: analytics_monthly analytics_monthly_user_id_year_month_key; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.analytics_monthly
    ADD CONSTRAINT analytics_monthly_user_id_year_month_key UNIQUE (user_id, year, month);


--
-- Name: api_keys api_keys_key_hash_key; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.api_keys
    ADD CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash);


--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (key_id);


--
-- Name: attachments attachments_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.attachments
    ADD CONSTRAINT attachments_pkey PRIMARY KEY (attachment_id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (log_id);


--
-- Name: crawl_sessions crawl_sessions_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.crawl_sessions
    ADD CONSTRAINT crawl_sessions_pkey PRIMARY KEY (session_id);


--
-- Name: crawl_sessions crawl_sessions_session_uuid_key; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.crawl_sessions
    ADD CONSTRAINT crawl_sessions_session_uuid_key UNIQUE (session_uuid);


--
-- Name: issue_comments issue_comments_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issue_comments
    ADD CONSTRAINT issue_comments_pkey PRIMARY KEY (comment_id);


--
-- Name: issue_history issue_history_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issue_history
    ADD CONSTRAINT issue_history_pkey PRIMARY KEY (history_id);


--
-- Name: issue_search_documents issue_search_documents_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issue_search_documents
    ADD CONSTRAINT issue_search_documents_pkey PRIMARY KEY (issue_pk);


--
-- Name: issues issues_issue_id_key; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issues
    ADD CONSTRAINT issues_issue_id_key UNIQUE (issue_id);


--
-- Name: issues issues_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issues
    ADD CONSTRAINT issues_pkey PRIMARY KEY (issue_pk);


--
-- Name: job_backups job_backups_directory_file_name_key; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_backups
    ADD CONSTRAINT job_backups_directory_file_name_key UNIQUE (directory, file_name);


--
-- Name: job_backups job_backups_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_backups
    ADD CONSTRAINT job_backups_pkey PRIMARY KEY (backup_id);


--
-- Name: job_requests job_requests_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_requests
    ADD CONSTRAINT job_requests_pkey PRIMARY KEY (request_id);


--
-- Name: job_runs job_runs_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_runs
    ADD CONSTRAINT job_runs_pkey PRIMARY KEY (run_id);


--
-- Name: job_schedules job_schedules_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_schedules
    ADD CONSTRAINT job_schedules_pkey PRIMARY KEY (job_name);


--
-- Name: search_intent_phrases search_intent_phrases_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.search_intent_phrases
    ADD CONSTRAINT search_intent_phrases_pkey PRIMARY KEY (phrase);


--
-- Name: search_product_families search_product_families_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.search_product_families
    ADD CONSTRAINT search_product_families_pkey PRIMARY KEY (family_key);


--
-- Name: search_queries search_queries_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.search_queries
    ADD CONSTRAINT search_queries_pkey PRIMARY KEY (query_id);


--
-- Name: session_errors session_errors_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.session_errors
    ADD CONSTRAINT session_errors_pkey PRIMARY KEY (error_id);


--
-- Name: session_issues session_issues_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.session_issues
    ADD CONSTRAINT session_issues_pkey PRIMARY KEY (session_issue_id);


--
-- Name: session_issues session_issues_session_id_issue_pk_key; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.session_issues
    ADD CONSTRAINT session_issues_session_id_issue_pk_key UNIQUE (session_id, issue_pk);


--
-- Name: user_issues user_issues_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.user_issues
    ADD CONSTRAINT user_issues_pkey PRIMARY KEY (user_id, issue_pk);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (user_id);


--
-- Name: users users_username_key; Type: CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.users
    ADD CONSTRAINT users_username_key UNIQUE (username);


--
-- Name: ix_analytics_daily_date; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_analytics_daily_date ON ims.analytics_daily USING btree (stat_date);


--
-- Name: ix_api_keys_user; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_api_keys_user ON ims.api_keys USING btree (user_id) WHERE (revoked_at IS NULL);


--
-- Name: ix_attachments_session; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_attachments_session ON ims.attachments USING btree (session_id) WHERE (session_id IS NOT NULL);


--
-- Name: ix_audit_log_time; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_audit_log_time ON ims.audit_log USING btree (created_at);


--
-- Name: ix_audit_log_user_time; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_audit_log_user_time ON ims.audit_log USING btree (user_id, created_at DESC);


--
-- Name: ix_crawl_sessions_started; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_crawl_sessions_started ON ims.crawl_sessions USING btree (started_at);


--
-- Name: ix_crawl_sessions_user_started; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_crawl_sessions_user_started ON ims.crawl_sessions USING btree (user_id, started_at DESC);


--
-- Name: ix_issue_search_documents_document; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_issue_search_documents_document ON ims.issue_search_documents USING gin (document);


--
-- Name: ix_issue_search_documents_head; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_issue_search_documents_head ON ims.issue_search_documents USING gin (ims.search_head(document));


--
-- Name: ix_issue_search_documents_title; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_issue_search_documents_title ON ims.issue_search_documents USING gin (ims.search_title(document));


--
-- Name: ix_job_requests_pending; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_job_requests_pending ON ims.job_requests USING btree (request_id) WHERE (picked_at IS NULL);


--
-- Name: ix_job_runs_job; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_job_runs_job ON ims.job_runs USING btree (job_name, run_id DESC);


--
-- Name: ix_job_runs_job_succeeded; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_job_runs_job_succeeded ON ims.job_runs USING btree (job_name, period_key) WHERE ((status)::text = 'succeeded'::text);


--
-- Name: ix_search_queries_session; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_search_queries_session ON ims.search_queries USING btree (session_id) WHERE (session_id IS NOT NULL);


--
-- Name: ix_search_queries_user_time; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_search_queries_user_time ON ims.search_queries USING btree (user_id, queried_at DESC);


--
-- Name: ix_session_errors_session; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_session_errors_session ON ims.session_errors USING btree (session_id);


--
-- Name: ix_session_issues_issue; Type: INDEX; Schema: ims; Owner: -
--

CREATE INDEX ix_session_issues_issue ON ims.session_issues USING btree (issue_pk);


--
-- Name: ux_attachments_issue_session_filename; Type: INDEX; Schema: ims; Owner: -
--

CREATE UNIQUE INDEX ux_attachments_issue_session_filename ON ims.attachments USING btree (issue_pk, session_id, filename);


--
-- Name: INDEX ux_attachments_issue_session_filename; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON INDEX ims.ux_attachments_issue_session_filename IS 'Attachment identity for the ingest upsert (per crawl session); an issue''s attachments; FK cascade';


--
-- Name: ux_issue_comments_issue_number; Type: INDEX; Schema: ims; Owner: -
--

CREATE UNIQUE INDEX ux_issue_comments_issue_number ON ims.issue_comments USING btree (issue_pk, comment_number);


--
-- Name: INDEX ux_issue_comments_issue_number; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON INDEX ims.ux_issue_comments_issue_number IS 'Comment identity for the ingest upsert (IMS action number); an issue''s comments in order; FK cascade';


--
-- Name: ux_issue_history_identity; Type: INDEX; Schema: ims; Owner: -
--

CREATE UNIQUE INDEX ux_issue_history_identity ON ims.issue_history USING btree (issue_pk, changed_at, changed_by, md5(description)) NULLS NOT DISTINCT;


--
-- Name: INDEX ux_issue_history_identity; Type: COMMENT; Schema: ims; Owner: -
--

COMMENT ON INDEX ims.ux_issue_history_identity IS 'History identity for the ingest upsert (when, who, digest of what); an issue''s history in order; FK cascade';


--
-- Name: ux_job_runs_succeeded_period; Type: INDEX; Schema: ims; Owner: -
--

CREATE UNIQUE INDEX ux_job_runs_succeeded_period ON ims.job_runs USING btree (job_name, period_key) WHERE (((status)::text = 'succeeded'::text) AND ((trigger)::text <> 'manual'::text));


--
-- Name: ux_mv_daily_session_summary; Type: INDEX; Schema: ims; Owner: -
--

CREATE UNIQUE INDEX ux_mv_daily_session_summary ON ims.mv_daily_session_summary USING btree (day, product, user_id);


--
-- Name: ux_mv_issue_trends; Type: INDEX; Schema: ims; Owner: -
--

CREATE UNIQUE INDEX ux_mv_issue_trends ON ims.mv_issue_trends USING btree (product, status, priority, week);


--
-- Name: attachments trg_attachments_search_delete; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_attachments_search_delete AFTER DELETE ON ims.attachments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_old_rows();


--
-- Name: attachments trg_attachments_search_insert; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_attachments_search_insert AFTER INSERT ON ims.attachments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_new_rows();


--
-- Name: attachments trg_attachments_search_update; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_attachments_search_update AFTER UPDATE ON ims.attachments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_changed_rows();


--
-- Name: crawl_sessions trg_crawl_sessions_updated_at; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_crawl_sessions_updated_at BEFORE UPDATE ON ims.crawl_sessions FOR EACH ROW EXECUTE FUNCTION ims.update_updated_at();


--
-- Name: crawl_sessions trg_crawl_sessions_user_issues_delete; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_crawl_sessions_user_issues_delete AFTER DELETE ON ims.crawl_sessions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_user_issues_from_deleted_sessions();


--
-- Name: issue_comments trg_issue_comments_search_delete; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issue_comments_search_delete AFTER DELETE ON ims.issue_comments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_old_rows();


--
-- Name: issue_comments trg_issue_comments_search_insert; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issue_comments_search_insert AFTER INSERT ON ims.issue_comments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_new_rows();


--
-- Name: issue_comments trg_issue_comments_search_update; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issue_comments_search_update AFTER UPDATE ON ims.issue_comments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_changed_rows();


--
-- Name: issue_search_documents trg_issue_search_documents_filter_columns; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issue_search_documents_filter_columns BEFORE INSERT OR UPDATE OF document ON ims.issue_search_documents FOR EACH ROW EXECUTE FUNCTION ims.trg_search_row_filter_columns();


--
-- Name: issue_search_pending trg_issue_search_pending_flush; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE CONSTRAINT TRIGGER trg_issue_search_pending_flush AFTER INSERT ON ims.issue_search_pending DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ims.trg_flush_issue_search_pending();


--
-- Name: issues trg_issues_search_filter_columns_insert; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issues_search_filter_columns_insert AFTER INSERT ON ims.issues REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_search_filter_columns_from_new_issues();


--
-- Name: issues trg_issues_search_filter_columns_update; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issues_search_filter_columns_update AFTER UPDATE ON ims.issues REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_search_filter_columns_from_issue_update();


--
-- Name: issues trg_issues_search_insert; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issues_search_insert AFTER INSERT ON ims.issues REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_new_rows();


--
-- Name: issues trg_issues_search_update; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issues_search_update AFTER UPDATE ON ims.issues REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_issue_search_from_issue_update();


--
-- Name: issues trg_issues_updated_at; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_issues_updated_at BEFORE UPDATE ON ims.issues FOR EACH ROW EXECUTE FUNCTION ims.update_updated_at();


--
-- Name: job_requests trg_job_requests_notify; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_job_requests_notify AFTER INSERT ON ims.job_requests FOR EACH STATEMENT EXECUTE FUNCTION ims.notify_job_requested();


--
-- Name: session_issues trg_session_issues_user_issues_delete; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_session_issues_user_issues_delete AFTER DELETE ON ims.session_issues REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_user_issues_from_removed_links();


--
-- Name: session_issues trg_session_issues_user_issues_insert; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_session_issues_user_issues_insert AFTER INSERT ON ims.session_issues REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_user_issues_from_new_links();


--
-- Name: users trg_users_updated_at; Type: TRIGGER; Schema: ims; Owner: -
--

CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON ims.users FOR EACH ROW EXECUTE FUNCTION ims.update_updated_at();


--
-- Name: analytics_daily analytics_daily_user_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.analytics_daily
    ADD CONSTRAINT analytics_daily_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users(user_id) ON DELETE CASCADE;


--
-- Name: analytics_monthly analytics_monthly_user_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.analytics_monthly
    ADD CONSTRAINT analytics_monthly_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users(user_id) ON DELETE CASCADE;


--
-- Name: api_keys api_keys_user_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.api_keys
    ADD CONSTRAINT api_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users(user_id) ON DELETE CASCADE;


--
-- Name: attachments attachments_issue_pk_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.attachments
    ADD CONSTRAINT attachments_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues(issue_pk) ON DELETE CASCADE;


--
-- Name: attachments attachments_session_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.attachments
    ADD CONSTRAINT attachments_session_id_fkey FOREIGN KEY (session_id) REFERENCES ims.crawl_sessions(session_id) ON DELETE SET NULL;


--
-- Name: audit_log audit_log_user_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.audit_log
    ADD CONSTRAINT audit_log_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users(user_id) ON DELETE SET NULL;


--
-- Name: crawl_sessions crawl_sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.crawl_sessions
    ADD CONSTRAINT crawl_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users(user_id) ON DELETE CASCADE;


--
-- Name: issue_comments issue_comments_issue_pk_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issue_comments
    ADD CONSTRAINT issue_comments_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues(issue_pk) ON DELETE CASCADE;


--
-- Name: issue_history issue_history_issue_pk_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issue_history
    ADD CONSTRAINT issue_history_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues(issue_pk) ON DELETE CASCADE;


--
-- Name: issue_search_documents issue_search_documents_issue_pk_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.issue_search_documents
    ADD CONSTRAINT issue_search_documents_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues(issue_pk) ON DELETE CASCADE;


--
-- Name: job_runs job_runs_request_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.job_runs
    ADD CONSTRAINT job_runs_request_id_fkey FOREIGN KEY (request_id) REFERENCES ims.job_requests(request_id) ON DELETE SET NULL;


--
-- Name: search_queries search_queries_session_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.search_queries
    ADD CONSTRAINT search_queries_session_id_fkey FOREIGN KEY (session_id) REFERENCES ims.crawl_sessions(session_id) ON DELETE CASCADE;


--
-- Name: search_queries search_queries_user_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.search_queries
    ADD CONSTRAINT search_queries_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users(user_id) ON DELETE CASCADE;


--
-- Name: session_errors session_errors_session_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.session_errors
    ADD CONSTRAINT session_errors_session_id_fkey FOREIGN KEY (session_id) REFERENCES ims.crawl_sessions(session_id) ON DELETE CASCADE;


--
-- Name: session_issues session_issues_issue_pk_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.session_issues
    ADD CONSTRAINT session_issues_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues(issue_pk) ON DELETE CASCADE;


--
-- Name: session_issues session_issues_session_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.session_issues
    ADD CONSTRAINT session_issues_session_id_fkey FOREIGN KEY (session_id) REFERENCES ims.crawl_sessions(session_id) ON DELETE CASCADE;


--
-- Name: user_issues user_issues_user_id_fkey; Type: FK CONSTRAINT; Schema: ims; Owner: -
--

ALTER TABLE ONLY ims.user_issues
    ADD CONSTRAINT user_issues_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users(user_id) ON DELETE CASCADE;


--
-- Name: analytics_daily admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.analytics_daily TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: analytics_monthly admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.analytics_monthly TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: api_keys admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.api_keys TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: attachments admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.attachments TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: audit_log admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.audit_log TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: crawl_sessions admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.crawl_sessions TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: search_queries admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.search_queries TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: session_errors admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.session_errors TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: session_issues admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.session_issues TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: user_issues admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.user_issues TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: users admin_all; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY admin_all ON ims.users TO ims_admin USING (true) WITH CHECK (true);


--
-- Name: analytics_daily; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.analytics_daily ENABLE ROW LEVEL SECURITY;

--
-- Name: analytics_monthly; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.analytics_monthly ENABLE ROW LEVEL SECURITY;

--
-- Name: api_keys; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.api_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: attachments; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.attachments ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.audit_log ENABLE ROW LEVEL SECURITY;

--
-- Name: crawl_sessions; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.crawl_sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: analytics_daily readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.analytics_daily FOR SELECT TO ims_readonly USING (true);


--
-- Name: analytics_monthly readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.analytics_monthly FOR SELECT TO ims_readonly USING (true);


--
-- Name: attachments readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.attachments FOR SELECT TO ims_readonly USING (true);


--
-- Name: audit_log readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.audit_log FOR SELECT TO ims_readonly USING (true);


--
-- Name: crawl_sessions readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.crawl_sessions FOR SELECT TO ims_readonly USING (true);


--
-- Name: search_queries readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.search_queries FOR SELECT TO ims_readonly USING (true);


--
-- Name: session_errors readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.session_errors FOR SELECT TO ims_readonly USING (true);


--
-- Name: session_issues readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.session_issues FOR SELECT TO ims_readonly USING (true);


--
-- Name: user_issues readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.user_issues FOR SELECT TO ims_readonly USING (true);


--
-- Name: users readonly_select; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY readonly_select ON ims.users FOR SELECT TO ims_readonly USING (true);


--
-- Name: search_queries; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.search_queries ENABLE ROW LEVEL SECURITY;

--
-- Name: session_errors; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.session_errors ENABLE ROW LEVEL SECURITY;

--
-- Name: session_issues; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.session_issues ENABLE ROW LEVEL SECURITY;

--
-- Name: attachments user_delete_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_delete_rows ON ims.attachments FOR DELETE TO ims_user USING ((session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)))));


--
-- Name: attachments user_insert_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_insert_rows ON ims.attachments FOR INSERT TO ims_user WITH CHECK ((session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)))));


--
-- Name: user_issues; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.user_issues ENABLE ROW LEVEL SECURITY;

--
-- Name: users user_own_row; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_row ON ims.users TO ims_user USING ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))) WITH CHECK ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)));


--
-- Name: analytics_daily user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.analytics_daily TO ims_user USING ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))) WITH CHECK ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)));


--
-- Name: analytics_monthly user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.analytics_monthly TO ims_user USING ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))) WITH CHECK ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)));


--
-- Name: api_keys user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.api_keys FOR SELECT TO ims_readonly, ims_user USING ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)));


--
-- Name: audit_log user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.audit_log TO ims_user USING ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))) WITH CHECK ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)));


--
-- Name: crawl_sessions user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.crawl_sessions TO ims_user USING ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))) WITH CHECK ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)));


--
-- Name: search_queries user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.search_queries TO ims_user USING ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))) WITH CHECK ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)));


--
-- Name: session_errors user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.session_errors TO ims_user USING ((session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))))) WITH CHECK ((session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)))));


--
-- Name: session_issues user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.session_issues TO ims_user USING ((session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))))) WITH CHECK ((session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)))));


--
-- Name: user_issues user_own_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_own_rows ON ims.user_issues FOR SELECT TO ims_user USING ((user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)));


--
-- Name: attachments user_read_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_read_rows ON ims.attachments FOR SELECT TO ims_user USING (((( SELECT ims.get_current_user_id() AS get_current_user_id) IS NOT NULL) AND ((session_id IS NULL) OR (session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)))))));


--
-- Name: attachments user_update_rows; Type: POLICY; Schema: ims; Owner: -
--

CREATE POLICY user_update_rows ON ims.attachments FOR UPDATE TO ims_user USING ((session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id))))) WITH CHECK ((session_id IN ( SELECT cs.session_id
   FROM ims.crawl_sessions cs
  WHERE (cs.user_id = ( SELECT ims.get_current_user_id() AS get_current_user_id)))));


--
-- Name: users; Type: ROW SECURITY; Schema: ims; Owner: -
--

ALTER TABLE ims.users ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA ims; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA ims TO ims_admin;
GRANT USAGE ON SCHEMA ims TO ims_user;
GRANT USAGE ON SCHEMA ims TO ims_readonly;
GRANT USAGE ON SCHEMA ims TO ims_api_login;


--
-- Name: FUNCTION aggregate_daily_stats(target_date date); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.aggregate_daily_stats(target_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.aggregate_daily_stats(target_date date) TO ims_admin;


--
-- Name: FUNCTION aggregate_daily_stats(target_day timestamp with time zone); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.aggregate_daily_stats(target_day timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.aggregate_daily_stats(target_day timestamp with time zone) TO ims_admin;


--
-- Name: FUNCTION aggregate_monthly_stats(target_year integer, target_month integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.aggregate_monthly_stats(target_year integer, target_month integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.aggregate_monthly_stats(target_year integer, target_month integer) TO ims_admin;


--
-- Name: FUNCTION authenticate_api_key(p_key_hash bytea); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.authenticate_api_key(p_key_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.authenticate_api_key(p_key_hash bytea) TO ims_api_login;
GRANT ALL ON FUNCTION ims.authenticate_api_key(p_key_hash bytea) TO ims_admin;


--
-- Name: FUNCTION cjk_bigram_vector(p_text text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.cjk_bigram_vector(p_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.cjk_bigram_vector(p_text text) TO ims_admin;
GRANT ALL ON FUNCTION ims.cjk_bigram_vector(p_text text) TO ims_user;
GRANT ALL ON FUNCTION ims.cjk_bigram_vector(p_text text) TO ims_readonly;


--
-- Name: FUNCTION cjk_bigram_vector_portable(p_text text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.cjk_bigram_vector_portable(p_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.cjk_bigram_vector_portable(p_text text) TO ims_admin;
GRANT ALL ON FUNCTION ims.cjk_bigram_vector_portable(p_text text) TO ims_user;
GRANT ALL ON FUNCTION ims.cjk_bigram_vector_portable(p_text text) TO ims_readonly;


--
-- Name: FUNCTION cjk_run_pattern(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.cjk_run_pattern() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.cjk_run_pattern() TO ims_admin;
GRANT ALL ON FUNCTION ims.cjk_run_pattern() TO ims_user;
GRANT ALL ON FUNCTION ims.cjk_run_pattern() TO ims_readonly;


--
-- Name: FUNCTION cjk_run_query(p_run text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.cjk_run_query(p_run text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.cjk_run_query(p_run text) TO ims_admin;
GRANT ALL ON FUNCTION ims.cjk_run_query(p_run text) TO ims_user;
GRANT ALL ON FUNCTION ims.cjk_run_query(p_run text) TO ims_readonly;


--
-- Name: FUNCTION delete_old_sessions(p_user_id integer, p_older_than_days integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.delete_old_sessions(p_user_id integer, p_older_than_days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.delete_old_sessions(p_user_id integer, p_older_than_days integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.delete_old_sessions(p_user_id integer, p_older_than_days integer) TO ims_user;


--
-- Name: FUNCTION fitted_search_document(p_title text, p_description text, p_comments text, p_attachments text, OUT document tsvector, OUT cut_from text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.fitted_search_document(p_title text, p_description text, p_comments text, p_attachments text, OUT document tsvector, OUT cut_from text) FROM PUBLIC;


--
-- Name: FUNCTION get_current_user_id(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.get_current_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.get_current_user_id() TO ims_admin;
GRANT ALL ON FUNCTION ims.get_current_user_id() TO ims_user;
GRANT ALL ON FUNCTION ims.get_current_user_id() TO ims_readonly;


--
-- Name: FUNCTION get_user_stats(p_user_id integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.get_user_stats(p_user_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.get_user_stats(p_user_id integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.get_user_stats(p_user_id integer) TO ims_user;
GRANT ALL ON FUNCTION ims.get_user_stats(p_user_id integer) TO ims_readonly;


--
-- Name: FUNCTION interpret_search_query(p_query text, p_product text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.interpret_search_query(p_query text, p_product text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.interpret_search_query(p_query text, p_product text) TO ims_admin;
GRANT ALL ON FUNCTION ims.interpret_search_query(p_query text, p_product text) TO ims_user;
GRANT ALL ON FUNCTION ims.interpret_search_query(p_query text, p_product text) TO ims_readonly;


--
-- Name: FUNCTION is_blank_json(value jsonb); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.is_blank_json(value jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.is_blank_json(value jsonb) TO ims_admin;
GRANT ALL ON FUNCTION ims.is_blank_json(value jsonb) TO ims_user;
GRANT ALL ON FUNCTION ims.is_blank_json(value jsonb) TO ims_readonly;


--
-- Name: FUNCTION is_closed_status(p_status text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.is_closed_status(p_status text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.is_closed_status(p_status text) TO ims_admin;
GRANT ALL ON FUNCTION ims.is_closed_status(p_status text) TO ims_user;
GRANT ALL ON FUNCTION ims.is_closed_status(p_status text) TO ims_readonly;


--
-- Name: FUNCTION keep_known_values(stored jsonb, crawled jsonb); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.keep_known_values(stored jsonb, crawled jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.keep_known_values(stored jsonb, crawled jsonb) TO ims_admin;
GRANT ALL ON FUNCTION ims.keep_known_values(stored jsonb, crawled jsonb) TO ims_user;
GRANT ALL ON FUNCTION ims.keep_known_values(stored jsonb, crawled jsonb) TO ims_readonly;


--
-- Name: FUNCTION merge_crawled_record(stored jsonb, crawled jsonb); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.merge_crawled_record(stored jsonb, crawled jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.merge_crawled_record(stored jsonb, crawled jsonb) TO ims_admin;
GRANT ALL ON FUNCTION ims.merge_crawled_record(stored jsonb, crawled jsonb) TO ims_user;
GRANT ALL ON FUNCTION ims.merge_crawled_record(stored jsonb, crawled jsonb) TO ims_readonly;


--
-- Name: FUNCTION migration_status(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.migration_status() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.migration_status() TO ims_api_login;
GRANT ALL ON FUNCTION ims.migration_status() TO ims_admin;


--
-- Name: FUNCTION note_issue_search_pending(p_issue_pks bigint[]); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.note_issue_search_pending(p_issue_pks bigint[]) FROM PUBLIC;


--
-- Name: FUNCTION note_search_product_families(p_products text[]); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.note_search_product_families(p_products text[]) FROM PUBLIC;


--
-- Name: FUNCTION notify_job_requested(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.notify_job_requested() FROM PUBLIC;


--
-- Name: FUNCTION parse_search_query(p_query text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.parse_search_query(p_query text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.parse_search_query(p_query text) TO ims_admin;
GRANT ALL ON FUNCTION ims.parse_search_query(p_query text) TO ims_user;
GRANT ALL ON FUNCTION ims.parse_search_query(p_query text) TO ims_readonly;


--
-- Name: FUNCTION previous_month(p_day date, OUT year integer, OUT month integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.previous_month(p_day date, OUT year integer, OUT month integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.previous_month(p_day date, OUT year integer, OUT month integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.previous_month(p_day date, OUT year integer, OUT month integer) TO ims_user;
GRANT ALL ON FUNCTION ims.previous_month(p_day date, OUT year integer, OUT month integer) TO ims_readonly;


--
-- Name: FUNCTION product_in_family(p_product text, p_family text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.product_in_family(p_product text, p_family text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.product_in_family(p_product text, p_family text) TO ims_admin;
GRANT ALL ON FUNCTION ims.product_in_family(p_product text, p_family text) TO ims_user;
GRANT ALL ON FUNCTION ims.product_in_family(p_product text, p_family text) TO ims_readonly;


--
-- Name: FUNCTION prune_user_issues(p_user_ids integer[], p_issue_pks bigint[]); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.prune_user_issues(p_user_ids integer[], p_issue_pks bigint[]) FROM PUBLIC;


--
-- Name: FUNCTION record_search(p_query text, p_product text, p_results_count integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer) TO ims_user;
GRANT ALL ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer) TO ims_readonly;


--
-- Name: FUNCTION record_search(p_query text, p_product text, p_results_count integer, p_interpreted_query text, p_intent_filtered boolean, p_product_from_query boolean); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer, p_interpreted_query text, p_intent_filtered boolean, p_product_from_query boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer, p_interpreted_query text, p_intent_filtered boolean, p_product_from_query boolean) TO ims_admin;
GRANT ALL ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer, p_interpreted_query text, p_intent_filtered boolean, p_product_from_query boolean) TO ims_user;
GRANT ALL ON FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer, p_interpreted_query text, p_intent_filtered boolean, p_product_from_query boolean) TO ims_readonly;


--
-- Name: FUNCTION refresh_issue_search_documents(p_issue_pks bigint[]); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.refresh_issue_search_documents(p_issue_pks bigint[]) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.refresh_issue_search_documents(p_issue_pks bigint[]) TO ims_admin;


--
-- Name: FUNCTION refresh_materialized_views(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.refresh_materialized_views() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.refresh_materialized_views() TO ims_admin;


--
-- Name: FUNCTION search_estimate(p_condition text, p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_estimate(p_condition text, p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_estimate(p_condition text, p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_estimate(p_condition text, p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) TO ims_user;
GRANT ALL ON FUNCTION ims.search_estimate(p_condition text, p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) TO ims_readonly;


--
-- Name: FUNCTION search_filter_sql(p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_filter_sql(p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_filter_sql(p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_filter_sql(p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) TO ims_user;
GRANT ALL ON FUNCTION ims.search_filter_sql(p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone) TO ims_readonly;


--
-- Name: FUNCTION search_head(p_document tsvector); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_head(p_document tsvector) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_head(p_document tsvector) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_head(p_document tsvector) TO ims_user;
GRANT ALL ON FUNCTION ims.search_head(p_document tsvector) TO ims_readonly;


--
-- Name: FUNCTION search_issue_count(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_cap integer, p_facets boolean); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_issue_count(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_cap integer, p_facets boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_issue_count(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_cap integer, p_facets boolean) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_issue_count(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_cap integer, p_facets boolean) TO ims_user;
GRANT ALL ON FUNCTION ims.search_issue_count(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_cap integer, p_facets boolean) TO ims_readonly;


--
-- Name: FUNCTION search_issue_page(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_after_tier integer, p_after_pk bigint, p_limit integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_issue_page(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_after_tier integer, p_after_pk bigint, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_issue_page(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_after_tier integer, p_after_pk bigint, p_limit integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_issue_page(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_after_tier integer, p_after_pk bigint, p_limit integer) TO ims_user;
GRANT ALL ON FUNCTION ims.search_issue_page(p_query tsquery, p_product text, p_status text, p_priority text, p_modified_from timestamp with time zone, p_modified_to timestamp with time zone, p_after_tier integer, p_after_pk bigint, p_limit integer) TO ims_readonly;


--
-- Name: FUNCTION search_issues(p_search_query text, p_product character varying, p_limit integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_issues(p_search_query text, p_product character varying, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_issues(p_search_query text, p_product character varying, p_limit integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_issues(p_search_query text, p_product character varying, p_limit integer) TO ims_user;
GRANT ALL ON FUNCTION ims.search_issues(p_search_query text, p_product character varying, p_limit integer) TO ims_readonly;


--
-- Name: FUNCTION search_term_query(p_term text, p_phrase boolean); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_term_query(p_term text, p_phrase boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_term_query(p_term text, p_phrase boolean) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_term_query(p_term text, p_phrase boolean) TO ims_user;
GRANT ALL ON FUNCTION ims.search_term_query(p_term text, p_phrase boolean) TO ims_readonly;


--
-- Name: FUNCTION search_tier_rank(p_tier integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_tier_rank(p_tier integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_tier_rank(p_tier integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_tier_rank(p_tier integer) TO ims_user;
GRANT ALL ON FUNCTION ims.search_tier_rank(p_tier integer) TO ims_readonly;


--
-- Name: FUNCTION search_title(p_document tsvector); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.search_title(p_document tsvector) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.search_title(p_document tsvector) TO ims_admin;
GRANT ALL ON FUNCTION ims.search_title(p_document tsvector) TO ims_user;
GRANT ALL ON FUNCTION ims.search_title(p_document tsvector) TO ims_readonly;


--
-- Name: FUNCTION set_current_user(p_user_id integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.set_current_user(p_user_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.set_current_user(p_user_id integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.set_current_user(p_user_id integer) TO ims_user;
GRANT ALL ON FUNCTION ims.set_current_user(p_user_id integer) TO ims_readonly;


--
-- Name: FUNCTION similar_issues(p_issue_pk bigint, p_limit integer); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.similar_issues(p_issue_pk bigint, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.similar_issues(p_issue_pk bigint, p_limit integer) TO ims_admin;
GRANT ALL ON FUNCTION ims.similar_issues(p_issue_pk bigint, p_limit integer) TO ims_user;
GRANT ALL ON FUNCTION ims.similar_issues(p_issue_pk bigint, p_limit integer) TO ims_readonly;


--
-- Name: FUNCTION stats_time_zone(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.stats_time_zone() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.stats_time_zone() TO ims_admin;
GRANT ALL ON FUNCTION ims.stats_time_zone() TO ims_user;
GRANT ALL ON FUNCTION ims.stats_time_zone() TO ims_readonly;


--
-- Name: FUNCTION strip_attached_particle(p_term text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.strip_attached_particle(p_term text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.strip_attached_particle(p_term text) TO ims_admin;
GRANT ALL ON FUNCTION ims.strip_attached_particle(p_term text) TO ims_user;
GRANT ALL ON FUNCTION ims.strip_attached_particle(p_term text) TO ims_readonly;


--
-- Name: FUNCTION text_search_vector(p_text text, p_weight "char"); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.text_search_vector(p_text text, p_weight "char") FROM PUBLIC;
GRANT ALL ON FUNCTION ims.text_search_vector(p_text text, p_weight "char") TO ims_admin;
GRANT ALL ON FUNCTION ims.text_search_vector(p_text text, p_weight "char") TO ims_user;
GRANT ALL ON FUNCTION ims.text_search_vector(p_text text, p_weight "char") TO ims_readonly;


--
-- Name: FUNCTION text_search_vector_portable(p_text text, p_weight "char"); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.text_search_vector_portable(p_text text, p_weight "char") FROM PUBLIC;
GRANT ALL ON FUNCTION ims.text_search_vector_portable(p_text text, p_weight "char") TO ims_admin;
GRANT ALL ON FUNCTION ims.text_search_vector_portable(p_text text, p_weight "char") TO ims_user;
GRANT ALL ON FUNCTION ims.text_search_vector_portable(p_text text, p_weight "char") TO ims_readonly;


--
-- Name: FUNCTION trg_flush_issue_search_pending(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_flush_issue_search_pending() FROM PUBLIC;


--
-- Name: FUNCTION trg_issue_search_from_changed_rows(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_issue_search_from_changed_rows() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.trg_issue_search_from_changed_rows() TO ims_admin;


--
-- Name: FUNCTION trg_issue_search_from_issue_update(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_issue_search_from_issue_update() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.trg_issue_search_from_issue_update() TO ims_admin;


--
-- Name: FUNCTION trg_issue_search_from_new_rows(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_issue_search_from_new_rows() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.trg_issue_search_from_new_rows() TO ims_admin;


--
-- Name: FUNCTION trg_issue_search_from_old_rows(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_issue_search_from_old_rows() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.trg_issue_search_from_old_rows() TO ims_admin;


--
-- Name: FUNCTION trg_search_filter_columns_from_issue_update(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_search_filter_columns_from_issue_update() FROM PUBLIC;


--
-- Name: FUNCTION trg_search_filter_columns_from_new_issues(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_search_filter_columns_from_new_issues() FROM PUBLIC;


--
-- Name: FUNCTION trg_search_row_filter_columns(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_search_row_filter_columns() FROM PUBLIC;


--
-- Name: FUNCTION trg_user_issues_from_deleted_sessions(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_user_issues_from_deleted_sessions() FROM PUBLIC;


--
-- Name: FUNCTION trg_user_issues_from_new_links(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_user_issues_from_new_links() FROM PUBLIC;


--
-- Name: FUNCTION trg_user_issues_from_removed_links(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.trg_user_issues_from_removed_links() FROM PUBLIC;


--
-- Name: FUNCTION tsquery_with_weights(p_query tsquery, p_weights text); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.tsquery_with_weights(p_query tsquery, p_weights text) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.tsquery_with_weights(p_query tsquery, p_weights text) TO ims_admin;
GRANT ALL ON FUNCTION ims.tsquery_with_weights(p_query tsquery, p_weights text) TO ims_user;
GRANT ALL ON FUNCTION ims.tsquery_with_weights(p_query tsquery, p_weights text) TO ims_readonly;


--
-- Name: FUNCTION update_updated_at(); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.update_updated_at() FROM PUBLIC;
GRANT ALL ON FUNCTION ims.update_updated_at() TO ims_admin;


--
-- Name: FUNCTION upsert_issue(p_issue_id character varying, p_title text, p_description text, p_product character varying, p_status character varying, p_full_data jsonb); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.upsert_issue(p_issue_id character varying, p_title text, p_description text, p_product character varying, p_status character varying, p_full_data jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION ims.upsert_issue(p_issue_id character varying, p_title text, p_description text, p_product character varying, p_status character varying, p_full_data jsonb) TO ims_admin;
GRANT ALL ON FUNCTION ims.upsert_issue(p_issue_id character varying, p_title text, p_description text, p_product character varying, p_status character varying, p_full_data jsonb) TO ims_user;


--
-- Name: FUNCTION use_native_cjk_bigrams(p_enable boolean); Type: ACL; Schema: ims; Owner: -
--

REVOKE ALL ON FUNCTION ims.use_native_cjk_bigrams(p_enable boolean) FROM PUBLIC;


--
-- Name: TABLE analytics_daily; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.analytics_daily TO ims_admin;
GRANT SELECT ON TABLE ims.analytics_daily TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.analytics_daily TO ims_user;
GRANT SELECT ON TABLE ims.analytics_daily TO ims_jobs;


--
-- Name: SEQUENCE analytics_daily_stat_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.analytics_daily_stat_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.analytics_daily_stat_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.analytics_daily_stat_id_seq TO ims_jobs;


--
-- Name: TABLE analytics_monthly; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.analytics_monthly TO ims_admin;
GRANT SELECT ON TABLE ims.analytics_monthly TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.analytics_monthly TO ims_user;
GRANT SELECT ON TABLE ims.analytics_monthly TO ims_jobs;


--
-- Name: SEQUENCE analytics_monthly_stat_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.analytics_monthly_stat_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.analytics_monthly_stat_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.analytics_monthly_stat_id_seq TO ims_jobs;


--
-- Name: TABLE api_keys; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.api_keys TO ims_admin;
GRANT SELECT ON TABLE ims.api_keys TO ims_jobs;


--
-- Name: COLUMN api_keys.key_id; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT(key_id) ON TABLE ims.api_keys TO ims_user;
GRANT SELECT(key_id) ON TABLE ims.api_keys TO ims_readonly;


--
-- Name: COLUMN api_keys.user_id; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT(user_id) ON TABLE ims.api_keys TO ims_user;
GRANT SELECT(user_id) ON TABLE ims.api_keys TO ims_readonly;


--
-- Name: COLUMN api_keys.name; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT(name) ON TABLE ims.api_keys TO ims_user;
GRANT SELECT(name) ON TABLE ims.api_keys TO ims_readonly;


--
-- Name: COLUMN api_keys.key_prefix; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT(key_prefix) ON TABLE ims.api_keys TO ims_user;
GRANT SELECT(key_prefix) ON TABLE ims.api_keys TO ims_readonly;


--
-- Name: COLUMN api_keys.created_at; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT(created_at) ON TABLE ims.api_keys TO ims_user;
GRANT SELECT(created_at) ON TABLE ims.api_keys TO ims_readonly;


--
-- Name: COLUMN api_keys.last_used_at; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT(last_used_at) ON TABLE ims.api_keys TO ims_user;
GRANT SELECT(last_used_at) ON TABLE ims.api_keys TO ims_readonly;


--
-- Name: COLUMN api_keys.revoked_at; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT(revoked_at) ON TABLE ims.api_keys TO ims_user;
GRANT SELECT(revoked_at) ON TABLE ims.api_keys TO ims_readonly;


--
-- Name: SEQUENCE api_keys_key_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.api_keys_key_id_seq TO ims_admin;
GRANT SELECT ON SEQUENCE ims.api_keys_key_id_seq TO ims_jobs;


--
-- Name: TABLE attachments; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.attachments TO ims_admin;
GRANT SELECT ON TABLE ims.attachments TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.attachments TO ims_user;
GRANT SELECT ON TABLE ims.attachments TO ims_jobs;


--
-- Name: SEQUENCE attachments_attachment_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.attachments_attachment_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.attachments_attachment_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.attachments_attachment_id_seq TO ims_jobs;


--
-- Name: TABLE audit_log; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.audit_log TO ims_admin;
GRANT SELECT ON TABLE ims.audit_log TO ims_readonly;
GRANT SELECT,INSERT ON TABLE ims.audit_log TO ims_user;
GRANT SELECT ON TABLE ims.audit_log TO ims_jobs;


--
-- Name: SEQUENCE audit_log_log_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.audit_log_log_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.audit_log_log_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.audit_log_log_id_seq TO ims_jobs;


--
-- Name: TABLE crawl_sessions; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.crawl_sessions TO ims_admin;
GRANT SELECT ON TABLE ims.crawl_sessions TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.crawl_sessions TO ims_user;
GRANT SELECT ON TABLE ims.crawl_sessions TO ims_jobs;


--
-- Name: SEQUENCE crawl_sessions_session_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.crawl_sessions_session_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.crawl_sessions_session_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.crawl_sessions_session_id_seq TO ims_jobs;


--
-- Name: TABLE issue_comments; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.issue_comments TO ims_admin;
GRANT SELECT ON TABLE ims.issue_comments TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.issue_comments TO ims_user;
GRANT SELECT ON TABLE ims.issue_comments TO ims_jobs;


--
-- Name: SEQUENCE issue_comments_comment_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.issue_comments_comment_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.issue_comments_comment_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.issue_comments_comment_id_seq TO ims_jobs;


--
-- Name: TABLE issue_history; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.issue_history TO ims_admin;
GRANT SELECT ON TABLE ims.issue_history TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.issue_history TO ims_user;
GRANT SELECT ON TABLE ims.issue_history TO ims_jobs;


--
-- Name: SEQUENCE issue_history_history_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.issue_history_history_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.issue_history_history_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.issue_history_history_id_seq TO ims_jobs;


--
-- Name: TABLE issue_search_documents; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.issue_search_documents TO ims_admin;
GRANT SELECT ON TABLE ims.issue_search_documents TO ims_readonly;
GRANT SELECT ON TABLE ims.issue_search_documents TO ims_user;
GRANT SELECT ON TABLE ims.issue_search_documents TO ims_jobs;


--
-- Name: TABLE issue_search_pending; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT ON TABLE ims.issue_search_pending TO ims_admin;
GRANT SELECT ON TABLE ims.issue_search_pending TO ims_readonly;
GRANT SELECT ON TABLE ims.issue_search_pending TO ims_jobs;


--
-- Name: TABLE issues; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.issues TO ims_admin;
GRANT SELECT ON TABLE ims.issues TO ims_readonly;
GRANT SELECT,INSERT,UPDATE ON TABLE ims.issues TO ims_user;
GRANT SELECT ON TABLE ims.issues TO ims_jobs;


--
-- Name: SEQUENCE issues_issue_pk_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.issues_issue_pk_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.issues_issue_pk_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.issues_issue_pk_seq TO ims_jobs;


--
-- Name: TABLE job_backups; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT ON TABLE ims.job_backups TO ims_admin;
GRANT SELECT ON TABLE ims.job_backups TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.job_backups TO ims_jobs;


--
-- Name: SEQUENCE job_backups_backup_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.job_backups_backup_id_seq TO ims_jobs;


--
-- Name: TABLE job_requests; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT,INSERT ON TABLE ims.job_requests TO ims_admin;
GRANT SELECT ON TABLE ims.job_requests TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.job_requests TO ims_jobs;


--
-- Name: SEQUENCE job_requests_request_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT USAGE ON SEQUENCE ims.job_requests_request_id_seq TO ims_admin;
GRANT ALL ON SEQUENCE ims.job_requests_request_id_seq TO ims_jobs;


--
-- Name: TABLE job_runs; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT ON TABLE ims.job_runs TO ims_admin;
GRANT SELECT ON TABLE ims.job_runs TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.job_runs TO ims_jobs;


--
-- Name: SEQUENCE job_runs_run_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.job_runs_run_id_seq TO ims_jobs;


--
-- Name: TABLE job_schedules; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT ON TABLE ims.job_schedules TO ims_admin;
GRANT SELECT ON TABLE ims.job_schedules TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.job_schedules TO ims_jobs;


--
-- Name: TABLE mv_daily_session_summary; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.mv_daily_session_summary TO ims_admin;
GRANT SELECT ON TABLE ims.mv_daily_session_summary TO ims_readonly;
GRANT SELECT ON TABLE ims.mv_daily_session_summary TO ims_jobs;


--
-- Name: TABLE mv_issue_trends; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.mv_issue_trends TO ims_admin;
GRANT SELECT ON TABLE ims.mv_issue_trends TO ims_readonly;
GRANT SELECT ON TABLE ims.mv_issue_trends TO ims_user;
GRANT SELECT ON TABLE ims.mv_issue_trends TO ims_jobs;


--
-- Name: TABLE search_intent_phrases; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.search_intent_phrases TO ims_admin;
GRANT SELECT ON TABLE ims.search_intent_phrases TO ims_user;
GRANT SELECT ON TABLE ims.search_intent_phrases TO ims_readonly;
GRANT SELECT ON TABLE ims.search_intent_phrases TO ims_jobs;


--
-- Name: TABLE search_product_families; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT ON TABLE ims.search_product_families TO ims_admin;
GRANT SELECT ON TABLE ims.search_product_families TO ims_user;
GRANT SELECT ON TABLE ims.search_product_families TO ims_readonly;
GRANT SELECT ON TABLE ims.search_product_families TO ims_jobs;


--
-- Name: TABLE search_queries; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.search_queries TO ims_admin;
GRANT SELECT ON TABLE ims.search_queries TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.search_queries TO ims_user;
GRANT SELECT ON TABLE ims.search_queries TO ims_jobs;


--
-- Name: SEQUENCE search_queries_query_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.search_queries_query_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.search_queries_query_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.search_queries_query_id_seq TO ims_jobs;


--
-- Name: TABLE session_errors; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.session_errors TO ims_admin;
GRANT SELECT ON TABLE ims.session_errors TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.session_errors TO ims_user;
GRANT SELECT ON TABLE ims.session_errors TO ims_jobs;


--
-- Name: SEQUENCE session_errors_error_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.session_errors_error_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.session_errors_error_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.session_errors_error_id_seq TO ims_jobs;


--
-- Name: TABLE session_issues; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.session_issues TO ims_admin;
GRANT SELECT ON TABLE ims.session_issues TO ims_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ims.session_issues TO ims_user;
GRANT SELECT ON TABLE ims.session_issues TO ims_jobs;


--
-- Name: SEQUENCE session_issues_session_issue_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.session_issues_session_issue_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.session_issues_session_issue_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.session_issues_session_issue_id_seq TO ims_jobs;


--
-- Name: TABLE user_issues; Type: ACL; Schema: ims; Owner: -
--

GRANT SELECT ON TABLE ims.user_issues TO ims_admin;
GRANT SELECT ON TABLE ims.user_issues TO ims_user;
GRANT SELECT ON TABLE ims.user_issues TO ims_readonly;
GRANT SELECT ON TABLE ims.user_issues TO ims_jobs;


--
-- Name: TABLE users; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.users TO ims_admin;
GRANT SELECT ON TABLE ims.users TO ims_readonly;
GRANT SELECT ON TABLE ims.users TO ims_user;
GRANT SELECT ON TABLE ims.users TO ims_jobs;


--
-- Name: COLUMN users.email; Type: ACL; Schema: ims; Owner: -
--

GRANT UPDATE(email) ON TABLE ims.users TO ims_user;


--
-- Name: COLUMN users.full_name; Type: ACL; Schema: ims; Owner: -
--

GRANT UPDATE(full_name) ON TABLE ims.users TO ims_user;


--
-- Name: COLUMN users.department; Type: ACL; Schema: ims; Owner: -
--

GRANT UPDATE(department) ON TABLE ims.users TO ims_user;


--
-- Name: COLUMN users.preferences; Type: ACL; Schema: ims; Owner: -
--

GRANT UPDATE(preferences) ON TABLE ims.users TO ims_user;


--
-- Name: COLUMN users.last_login_at; Type: ACL; Schema: ims; Owner: -
--

GRANT UPDATE(last_login_at) ON TABLE ims.users TO ims_user;


--
-- Name: SEQUENCE users_user_id_seq; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON SEQUENCE ims.users_user_id_seq TO ims_admin;
GRANT USAGE ON SEQUENCE ims.users_user_id_seq TO ims_user;
GRANT SELECT ON SEQUENCE ims.users_user_id_seq TO ims_jobs;


--
-- Name: TABLE v_issue_search; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.v_issue_search TO ims_admin;
GRANT SELECT ON TABLE ims.v_issue_search TO ims_readonly;
GRANT SELECT ON TABLE ims.v_issue_search TO ims_user;
GRANT SELECT ON TABLE ims.v_issue_search TO ims_jobs;


--
-- Name: TABLE v_product_stats; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.v_product_stats TO ims_admin;
GRANT SELECT ON TABLE ims.v_product_stats TO ims_readonly;
GRANT SELECT ON TABLE ims.v_product_stats TO ims_user;
GRANT SELECT ON TABLE ims.v_product_stats TO ims_jobs;


--
-- Name: TABLE v_recent_activity; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.v_recent_activity TO ims_admin;
GRANT SELECT ON TABLE ims.v_recent_activity TO ims_readonly;
GRANT SELECT ON TABLE ims.v_recent_activity TO ims_user;
GRANT SELECT ON TABLE ims.v_recent_activity TO ims_jobs;


--
-- Name: TABLE v_session_detail; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.v_session_detail TO ims_admin;
GRANT SELECT ON TABLE ims.v_session_detail TO ims_readonly;
GRANT SELECT ON TABLE ims.v_session_detail TO ims_user;
GRANT SELECT ON TABLE ims.v_session_detail TO ims_jobs;


--
-- Name: TABLE v_user_dashboard; Type: ACL; Schema: ims; Owner: -
--

GRANT ALL ON TABLE ims.v_user_dashboard TO ims_admin;
GRANT SELECT ON TABLE ims.v_user_dashboard TO ims_readonly;
GRANT SELECT ON TABLE ims.v_user_dashboard TO ims_user;
GRANT SELECT ON TABLE ims.v_user_dashboard TO ims_jobs;


--
-- Name: DEFAULT PRIVILEGES FOR SEQUENCES; Type: DEFAULT ACL; Schema: ims; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA ims GRANT SELECT ON SEQUENCES  TO ims_jobs;


--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: ims; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA ims GRANT SELECT ON TABLES  TO ims_jobs;


--
-- PostgreSQL database dump complete
--


