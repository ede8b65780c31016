-- 15_crawler_partial_records.sql: the existing crawler writes "" for every value it could not
-- scrape, so a partial page (a timeout, a changed layout) must not wipe what an earlier crawl knew.
--
-- Rule (the same for the API's bulk ingest and for ims.upsert_issue, which the crawler calls):
--   * a mapped column whose new value is NULL, "" or whitespace keeps the stored value (a new issue
--     stores NULL; title, NOT NULL, stores "");
--   * full_data is the record as the crawler wrote it, except that a top-level key (and a key of a
--     nested object such as metadata) whose new value is blank ("", whitespace, null, [] or {}, or
--     an array or object holding only such values) or missing keeps the stored value when that one
--     is not blank.
-- Re-crawling an unchanged issue therefore produces the stored row exactly: nothing is rewritten.

CREATE OR REPLACE FUNCTION ims.is_blank_json(value jsonb)
RETURNS boolean
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
AS $$
    -- Blank when no leaf holds anything: no number, no boolean, no string with a non-space character
    -- (so "", null, [], {} and a comment the crawler left all "" are blank).
    SELECT value IS NULL
        OR NOT jsonb_path_exists(value,
            'strict $.** ? (@.type() == "number" || @.type() == "boolean" || (@.type() == "string" && !(@ like_regex "^[[:space:]]*$")))');
$$;

COMMENT ON FUNCTION ims.is_blank_json(jsonb) IS
    'True for a JSON value the crawler writes when it found nothing: null, "", whitespace, [] or {}, or objects and arrays of only those';

-- One level: keys of stored whose crawled value is blank or missing keep their stored value.
CREATE OR REPLACE FUNCTION ims.keep_known_values(stored jsonb, crawled jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
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

-- Two levels: the record's own keys, and the keys of its objects (metadata).
CREATE OR REPLACE FUNCTION ims.merge_crawled_record(stored jsonb, crawled jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
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

COMMENT ON FUNCTION ims.merge_crawled_record(jsonb, jsonb) IS
    'full_data of a re-crawled issue: the new record, with blank or missing keys (and metadata keys) keeping their stored values';

-- The crawler's own upsert: same arguments and result as before; "" now means "not found".
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

REVOKE EXECUTE ON FUNCTION ims.is_blank_json(jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ims.keep_known_values(jsonb, jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ims.merge_crawled_record(jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ims.is_blank_json(jsonb), ims.keep_known_values(jsonb, jsonb),
    ims.merge_crawled_record(jsonb, jsonb) TO ims_admin, ims_user, ims_readonly;
