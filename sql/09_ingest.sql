-- 09_ingest.sql: the identities the bulk ingest (POST /api/sessions/{uuid}/issues, `import`)
-- upserts on, so a re-crawl updates rows in place and an unchanged row is never rewritten.
--
-- Each unique index replaces the plain index from 03 that it starts with: it serves the same
-- queries and cascades (an issue's comments / history / attachments in order), so the number of
-- indexes each write maintains does not grow (DESIGN "Targets": lean indexes).
--
--   issue_comments  (issue_pk, comment_number)        IMS's own action number; NULL numbers never
--                                                     conflict (rows written without one stay legal)
--   issue_history   (issue_pk, changed_at, changed_by, md5(description)) NULLS NOT DISTINCT
--                                                     a history row has no IMS number: its identity is
--                                                     when, who and what (a digest keeps the key small);
--                                                     NULLS NOT DISTINCT so a row with an unparsable date
--                                                     is still found again on a retry
--   attachments     (issue_pk, session_id, filename)  one file name per issue and crawl session: each
--                                                     session holds the attachments it crawled (RLS isolates
--                                                     them per user; retention deletes them with the session),
--                                                     and the existing crawler, which inserts an issue's
--                                                     attachments again in every session, keeps working
--
-- Compatibility with the existing crawler (docs/schema.md: nothing may be made stricter): it
-- deletes an issue's comments and history before inserting them again, so the two identities only
-- refuse a crawl that itself holds two identical history rows or two comments with one number.
-- Rows that already break an identity (possible only in a database the original crawler wrote)
-- are reduced to the newest of each group first, so the unique index can be built.

DELETE FROM ims.issue_comments c
USING ims.issue_comments newer
WHERE newer.issue_pk = c.issue_pk
  AND newer.comment_number = c.comment_number
  AND newer.comment_id > c.comment_id;

DELETE FROM ims.issue_history h
USING ims.issue_history newer
WHERE newer.issue_pk = h.issue_pk
  AND newer.changed_at IS NOT DISTINCT FROM h.changed_at
  AND newer.changed_by IS NOT DISTINCT FROM h.changed_by
  AND md5(newer.description) IS NOT DISTINCT FROM md5(h.description)
  AND newer.history_id > h.history_id;

DELETE FROM ims.attachments a
USING ims.attachments newer
WHERE newer.issue_pk = a.issue_pk
  AND newer.session_id = a.session_id
  AND newer.filename = a.filename
  AND newer.attachment_id > a.attachment_id;

CREATE UNIQUE INDEX ux_issue_comments_issue_number
    ON ims.issue_comments (issue_pk, comment_number);
DROP INDEX ims.ix_issue_comments_issue;

CREATE UNIQUE INDEX ux_issue_history_identity
    ON ims.issue_history (issue_pk, changed_at, changed_by, md5(description)) NULLS NOT DISTINCT;
DROP INDEX ims.ix_issue_history_issue;

CREATE UNIQUE INDEX ux_attachments_issue_session_filename
    ON ims.attachments (issue_pk, session_id, filename);
DROP INDEX ims.ix_attachments_issue;

COMMENT ON INDEX ims.ux_issue_comments_issue_number IS
    'Comment identity for the ingest upsert (IMS action number); an issue''s comments in order; FK cascade';
COMMENT ON INDEX ims.ux_issue_history_identity IS
    'History identity for the ingest upsert (when, who, digest of what); an issue''s history in order; FK cascade';
COMMENT ON INDEX ims.ux_attachments_issue_session_filename IS
    'Attachment identity for the ingest upsert (per crawl session); an issue''s attachments; FK cascade';
