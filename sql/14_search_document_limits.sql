-- 14_search_document_limits.sql: an issue of any size is stored; its search document is cut to
-- what a tsvector can hold, and building it takes linear time.
--
-- A tsvector holds at most 1 MiB of lexemes and positions. An issue whose text has more
-- distinct words (a description or attachment text with ~100k of them, a multi-megabyte log)
-- made the document's trigger fail with "string is too long for tsvector", so the whole
-- transaction failed: the API's batch, or the existing crawler's own INSERT. Now the document
-- takes the parts in order of use to a search (title, description, comments, attachment text),
-- each whole while it fits, the first that does not fit piece by piece up to the limit, and
-- nothing after it. cut_from names the part that was cut; the text itself is stored in full.
--
-- cjk_bigram_vector took quadratic time on a long Korean or Japanese run (substr at each
-- position walks the string from its start; 30,000 characters took 30 s): the same bigrams and
-- positions now come from one pass over the run's characters.

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

ALTER TABLE ims.issue_search_documents
    ADD COLUMN cut_from text CHECK (cut_from IN ('title', 'description', 'comments', 'attachments'));

COMMENT ON COLUMN ims.issue_search_documents.cut_from IS
    'NULL: the whole text is searchable; else the part (title, description, comments, attachments) where the document reached the tsvector limit: that part only in part, later parts not at all';

-- The document of one issue's texts, cut to the tsvector limit (see above). Used only when the
-- set-based rebuild hit the limit, since every step here costs a subtransaction. A long part is
-- added in pieces that end at whitespace, so the limit cuts it between words.
CREATE OR REPLACE FUNCTION ims.fitted_search_document(
    p_title text, p_description text, p_comments text, p_attachments text,
    OUT document tsvector, OUT cut_from text)
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
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

REVOKE EXECUTE ON FUNCTION ims.fitted_search_document(text, text, text, text) FROM PUBLIC;

-- As in 04, set-based; when any document of the set passes the tsvector limit, the set is built
-- again one fitted document at a time.
CREATE OR REPLACE FUNCTION ims.refresh_issue_search_documents(p_issue_pks bigint[])
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
