-- 16_search_at_scale.sql: search that costs the same for any query at 1M issues, cheaper documents,
-- queries as engineers type them, similar issues and facets (docs/schema.md "Search", docs/api.md).
--
-- What changes and why:
--   * ims.issue_search_documents carries the filter columns (product, family, status, priority,
--     modified date), so filters need no join to ims.issues, and two more GIN indexes, on the
--     document filtered to the title (ims.search_title) and to title and description
--     (ims.search_head): each ranking tier below is answered by one index. Expression indexes, not
--     stored vectors: the rebuild writes one vector per issue, as before.
--   * Large documents go out of line (toast_tuple_target 128, lz4 where the server has it).
--   * Ranking is by tier, then newest first (docs/api.md "Ranking"): a page is found by walking one
--     tier at a time, newest first, and stops when the page is full, so it does not cost in proportion
--     to the number of matches. ims.search_issues (04, the crawler's function) keeps its ts_rank order.
--   * The total is exact up to a cap and estimated beyond it (ims.search_issue_count).
-- Documents are still built inside PostgreSQL, by 04's functions and 12's deferred trigger,
-- unchanged (the crawler writes straight into the tables); triggers here copy the filter columns.

-- Search rows -----------------------------------------------------------------------------------
ALTER TABLE ims.issue_search_documents
    ADD COLUMN product       varchar(100),
    ADD COLUMN product_family varchar(100),
    ADD COLUMN status        varchar(50),
    ADD COLUMN priority      varchar(20),
    ADD COLUMN modified_date timestamptz;

ALTER TABLE ims.issue_search_documents SET (toast_tuple_target = 128);

-- lz4 decompresses several times faster than pglz (every recheck and walk step reads a vector);
-- servers built without lz4 keep pglz.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_settings
               WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE ims.issue_search_documents ALTER COLUMN document SET COMPRESSION lz4;
    END IF;
END;
$$;

-- The document's title part (weight A) and title-and-description part (A, B): ranking tiers 1 and 2
-- and similar issues. Inlined by the planner, so queries match the expression indexes below.
CREATE OR REPLACE FUNCTION ims.search_title(p_document tsvector)
RETURNS tsvector
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT ts_filter(p_document, '{a}');
$$;

CREATE OR REPLACE FUNCTION ims.search_head(p_document tsvector)
RETURNS tsvector
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT ts_filter(p_document, '{a,b}');
$$;

COMMENT ON COLUMN ims.issue_search_documents.product_family IS 'First word of the product (OpenFrame for OpenFrame Batch): facets';

-- Product families seen in issues: a product name typed in a query acts as a family filter.
CREATE TABLE ims.search_product_families (
    family_key  text PRIMARY KEY,      -- lower(family)
    family      varchar(100) NOT NULL
);

COMMENT ON TABLE ims.search_product_families IS
    'Product families (first word of ims.issues.product) known to search; maintained with the search documents';

-- Intent and filler words dropped from natural-language queries (ims.interpret_search_query).
CREATE TABLE ims.search_intent_phrases (
    phrase    text PRIMARY KEY CHECK (phrase = lower(btrim(phrase)) AND phrase <> ''),
    language  varchar(2) NOT NULL CHECK (language IN ('ko', 'ja', 'en'))
);

COMMENT ON TABLE ims.search_intent_phrases IS
    'Intent and filler words/phrases dropped before matching ("해결 방법", "について", "how to fix"); lower case, words separated by one space';

INSERT INTO ims.search_intent_phrases (phrase, language) VALUES
    ('해결 방법', 'ko'), ('해결방법', 'ko'), ('해결책', 'ko'), ('방법', 'ko'), ('원인', 'ko'), ('어떻게', 'ko'),
    ('어떻게 해결', 'ko'), ('알려줘', 'ko'), ('알려줘요', 'ko'), ('알려주세요', 'ko'), ('관련', 'ko'), ('문제', 'ko'),
    ('문의', 'ko'), ('해결', 'ko'), ('왜', 'ko'), ('증상', 'ko'),
    ('解決方法', 'ja'), ('解決策', 'ja'), ('対処法', 'ja'), ('対処方法', 'ja'), ('原因', 'ja'), ('について', 'ja'),
    ('教えて', 'ja'), ('教えてください', 'ja'), ('方法', 'ja'), ('なぜ', 'ja'), ('とは', 'ja'),
    ('how to fix', 'en'), ('how to solve', 'en'), ('how to resolve', 'en'), ('how to', 'en'), ('how do i', 'en'),
    ('how can i', 'en'), ('why does', 'en'), ('why do', 'en'), ('why is', 'en'), ('what causes', 'en'),
    ('what is', 'en'), ('error when', 'en'), ('fails when', 'en'), ('solution for', 'en'), ('fix for', 'en'),
    ('root cause', 'en'), ('workaround', 'en'), ('please', 'en');

-- Filter columns -------------------------------------------------------------------------------
-- The document build (04's ims.text_search_vector and ims.refresh_issue_search_documents, run at
-- commit by 12's deferred trigger) is left as it is; these triggers copy the filter columns beside
-- it, so whatever writes or rebuilds a document also writes them:
--   * a search row written (inserted, or its document rebuilt) takes them from its issue;
--   * an issue update that changes only them copies them at once, without a rebuild (updated_at
--     stays the time of the last build);
--   * new product families are noted for ims.interpret_search_query.
CREATE OR REPLACE FUNCTION ims.trg_search_row_filter_columns()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    SELECT i.product, nullif(split_part(btrim(i.product), ' ', 1), ''), i.status, i.priority, i.modified_date
    INTO NEW.product, NEW.product_family, NEW.status, NEW.priority, NEW.modified_date
    FROM ims.issues i WHERE i.issue_pk = NEW.issue_pk;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trg_issue_search_documents_filter_columns
    BEFORE INSERT OR UPDATE OF document ON ims.issue_search_documents
    FOR EACH ROW EXECUTE FUNCTION ims.trg_search_row_filter_columns();

CREATE OR REPLACE FUNCTION ims.note_search_product_families(p_products text[])
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO ims.search_product_families (family_key, family)
    SELECT DISTINCT ON (lower(f.family)) lower(f.family), f.family
    FROM (SELECT split_part(btrim(p), ' ', 1) AS family FROM unnest(p_products) AS p WHERE btrim(p) <> '') AS f
    ON CONFLICT (family_key) DO NOTHING;
$$;

CREATE OR REPLACE FUNCTION ims.trg_search_filter_columns_from_new_issues()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM ims.note_search_product_families(ARRAY(SELECT DISTINCT n.product FROM new_rows n));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ims.trg_search_filter_columns_from_issue_update()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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

CREATE TRIGGER trg_issues_search_filter_columns_insert AFTER INSERT ON ims.issues
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_search_filter_columns_from_new_issues();
CREATE TRIGGER trg_issues_search_filter_columns_update AFTER UPDATE ON ims.issues
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ims.trg_search_filter_columns_from_issue_update();

-- Existing rows: the filter columns in one statement (no document is rebuilt), then the indexes.
UPDATE ims.issue_search_documents d
SET product = i.product, product_family = nullif(split_part(btrim(i.product), ' ', 1), ''),
    status = i.status, priority = i.priority, modified_date = i.modified_date
FROM ims.issues i
WHERE i.issue_pk = d.issue_pk;
SELECT ims.note_search_product_families(ARRAY(SELECT DISTINCT i.product FROM ims.issues i));

CREATE INDEX ix_issue_search_documents_title ON ims.issue_search_documents USING gin (ims.search_title(document));
CREATE INDEX ix_issue_search_documents_head ON ims.issue_search_documents USING gin (ims.search_head(document));
ANALYZE ims.issue_search_documents;

-- Queries as engineers type them -------------------------------------------------------------
-- A Hangul or kana particle glued to a Latin word or code ("OFCOBOL로", "TPETIME이", "SVC99で")
-- is not part of the term: the term is the code alone.
CREATE OR REPLACE FUNCTION ims.strip_attached_particle(p_term text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT regexp_replace(p_term,
        '([A-Za-z0-9])(에서는|으로는|이라는|에서|으로|에게|까지|부터|처럼|보다|이나|이랑|이라|라는|이란|에는|'
        || '이|가|을|를|은|는|로|에|의|도|만|와|과|랑|란|'
        || 'から|まで|より|では|には|とは|って|は|が|を|に|で|と|の|も|へ|や)$',
        '\1');
$$;

CREATE OR REPLACE FUNCTION ims.search_term_query(p_term text, p_phrase boolean DEFAULT false)
RETURNS tsquery
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
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

-- Interprets a typed query: drops intent and filler phrases (ims.search_intent_phrases) and, when no
-- product was given, takes a product family named in the query as the product filter. Quoted
-- phrases, +must and -not terms and OR are kept as typed. Nothing is dropped when nothing
-- searchable would remain. `query` is what is matched; `dropped` lists what was left out.
CREATE OR REPLACE FUNCTION ims.interpret_search_query(p_query text, p_product text DEFAULT NULL)
RETURNS TABLE (query text, product text, product_from_query boolean, dropped text[])
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
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
$$;

-- Ranked pages ---------------------------------------------------------------------------------
-- The query restricted to the given weights ('ABC': title, description, comments).
CREATE OR REPLACE FUNCTION ims.tsquery_with_weights(p_query tsquery, p_weights text)
RETURNS tsquery
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT regexp_replace(p_query::text, '(''(?:[^'']|'''')*'')(?::(\*))?', '\1:\2' || p_weights, 'g')::tsquery;
$$;

-- Tier of a match: 1 the title alone matches the whole query, 2 title and description together,
-- 3 with the comments, 4 only with the attachment text too. The reported rank is the weight of
-- that field set (PostgreSQL's default weights: 1.0, 0.4, 0.2, 0.1).
CREATE OR REPLACE FUNCTION ims.search_tier_rank(p_tier integer)
RETURNS real
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT (ARRAY[1.0, 0.4, 0.2, 0.1]::real[])[p_tier];
$$;

-- The filter conditions for the given filters only ($3..$7 of the statements below), so each plan
-- holds no dead conditions.
CREATE OR REPLACE FUNCTION ims.search_filter_sql(p_product text, p_status text, p_priority text,
                                                 p_modified_from timestamptz, p_modified_to timestamptz)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT concat(
        CASE WHEN p_product IS NOT NULL THEN ' AND ims.product_in_family(d.product, $3)' END,
        CASE WHEN p_status IS NOT NULL THEN ' AND lower(d.status) = lower($4)' END,
        CASE WHEN p_priority IS NOT NULL THEN ' AND lower(d.priority) = lower($5)' END,
        CASE WHEN p_modified_from IS NOT NULL THEN ' AND d.modified_date >= $6' END,
        CASE WHEN p_modified_to IS NOT NULL THEN ' AND d.modified_date < $7' END);
$$;

-- The planner's estimate of the rows a search condition finds (column statistics; no rows are read).
-- The family filter is estimated from product_family's statistics (ILIKE is estimated against its
-- most common values), since the estimate of ims.product_in_family itself is a fixed guess.
CREATE OR REPLACE FUNCTION ims.search_estimate(p_condition text, p_query tsquery, p_product text, p_status text,
                                               p_priority text, p_modified_from timestamptz, p_modified_to timestamptz)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
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
$$;

-- One page of matches in ranking order (tier, then issue_pk descending), after the keyset
-- (p_after_tier, p_after_pk). Each tier is read newest first and reading stops when the page is
-- full. How a tier is read depends on how many issues its index finds (filters left out, since
-- they are checked on the rows either way): fewer than 5,000 are read from the GIN index and
-- sorted; more are found by walking the primary key backwards, checking the filter columns first
-- and the document only for rows that pass (a few rows per hit when that many match). The
-- planner's estimate decides when it is clear (under 1,000 or over 100,000, from the column
-- statistics, reading nothing); in between, or for a term too rare for the statistics, the index
-- is counted up to 5,000. No join: the filters are columns of the search row.
CREATE OR REPLACE FUNCTION ims.search_issue_page(
    p_query tsquery,
    p_product text DEFAULT NULL,
    p_status text DEFAULT NULL,
    p_priority text DEFAULT NULL,
    p_modified_from timestamptz DEFAULT NULL,
    p_modified_to timestamptz DEFAULT NULL,
    p_after_tier integer DEFAULT NULL,
    p_after_pk bigint DEFAULT NULL,
    p_limit integer DEFAULT 20)
RETURNS TABLE (issue_pk bigint, tier integer, rank real)
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
-- restored when the function returns; set per tier below
SET enable_seqscan = off
SET enable_indexscan = on
SET enable_bitmapscan = on
AS $$
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
$$;

-- How many issues match: exact up to p_cap; beyond it the planner's estimate from the column
-- statistics (never less than what was counted), marked as an estimate. When the planner expects
-- more than twice the cap, no row is counted (reading 200,000 matches costs more than the page).
-- With p_facets, counts per product family and per status over the rows counted, as
-- {"product": {"OpenFrame": 12, ...}, "status": {"Open": 3, ...}}; when the total is an estimate,
-- the counts of the first 2,001 (expected over twice the cap) or p_cap + 1 matches in table order,
-- scaled to the estimate.
CREATE OR REPLACE FUNCTION ims.search_issue_count(
    p_query tsquery,
    p_product text DEFAULT NULL,
    p_status text DEFAULT NULL,
    p_priority text DEFAULT NULL,
    p_modified_from timestamptz DEFAULT NULL,
    p_modified_to timestamptz DEFAULT NULL,
    p_cap integer DEFAULT 10000,
    p_facets boolean DEFAULT false)
RETURNS TABLE (total bigint, is_estimate boolean, facets jsonb)
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
AS $$
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
$$;

-- Similar issues ------------------------------------------------------------------------------
-- Issues sharing the most distinctive terms of this issue's title and description. A term's weight
-- is ln(1 / its share of issues) (from the planner's statistics of the head index; a term rarer than
-- the statistics keep counts as rare) times 2 in the title; up to 12 terms with the highest weight.
-- Candidates share at least 3 of the 6 heaviest terms (then 2, then 1, until enough are found): read
-- from the head index (at most 2,000 per step) when the planner expects at most 20,000 such issues,
-- else the newest 500 that share them; a candidate scores the weights of the terms it shares, doubled
-- where its own title holds them, divided by the best possible score.
CREATE OR REPLACE FUNCTION ims.similar_issues(p_issue_pk bigint, p_limit integer DEFAULT 10)
RETURNS TABLE (issue_pk bigint, score real, shared text[])
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
SET enable_indexscan = on
SET enable_bitmapscan = on
AS $$
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
$$;

-- Recording ------------------------------------------------------------------------------------
-- As ims.record_search (11), and what interpretation did: the query as matched (parsed_query),
-- whether intent words were dropped, and 'api_search_nl' when the query was interpreted
-- (intent dropped or product taken from the query), else 'api_search'.
CREATE OR REPLACE FUNCTION ims.record_search(p_query text, p_product text, p_results_count integer,
                                             p_interpreted_query text, p_intent_filtered boolean,
                                             p_product_from_query boolean)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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

-- Privileges -----------------------------------------------------------------------------------
REVOKE ALL ON ims.search_product_families, ims.search_intent_phrases FROM PUBLIC;
GRANT SELECT ON ims.search_product_families, ims.search_intent_phrases TO ims_admin, ims_user, ims_readonly;
GRANT INSERT, UPDATE, DELETE ON ims.search_intent_phrases TO ims_admin;

REVOKE EXECUTE ON FUNCTION
    ims.trg_search_row_filter_columns(),
    ims.note_search_product_families(text[]),
    ims.trg_search_filter_columns_from_new_issues(),
    ims.trg_search_filter_columns_from_issue_update(),
    ims.search_title(tsvector),
    ims.search_head(tsvector),
    ims.strip_attached_particle(text),
    ims.interpret_search_query(text, text),
    ims.tsquery_with_weights(tsquery, text),
    ims.search_tier_rank(integer),
    ims.search_filter_sql(text, text, text, timestamptz, timestamptz),
    ims.search_estimate(text, tsquery, text, text, text, timestamptz, timestamptz),
    ims.search_issue_page(tsquery, text, text, text, timestamptz, timestamptz, integer, bigint, integer),
    ims.search_issue_count(tsquery, text, text, text, timestamptz, timestamptz, integer, boolean),
    ims.similar_issues(bigint, integer),
    ims.record_search(text, text, integer, text, boolean, boolean)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    ims.search_title(tsvector),
    ims.search_head(tsvector),
    ims.strip_attached_particle(text),
    ims.interpret_search_query(text, text),
    ims.tsquery_with_weights(tsquery, text),
    ims.search_tier_rank(integer),
    ims.search_filter_sql(text, text, text, timestamptz, timestamptz),
    ims.search_estimate(text, tsquery, text, text, text, timestamptz, timestamptz),
    ims.search_issue_page(tsquery, text, text, text, timestamptz, timestamptz, integer, bigint, integer),
    ims.search_issue_count(tsquery, text, text, text, timestamptz, timestamptz, integer, boolean),
    ims.similar_issues(bigint, integer),
    ims.record_search(text, text, integer, text, boolean, boolean)
TO ims_admin, ims_user, ims_readonly;
