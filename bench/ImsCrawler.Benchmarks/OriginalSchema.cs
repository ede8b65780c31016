namespace ImsCrawler.Benchmarks;

/// <summary>
/// A copy of the five written tables in schema <c>orig</c> with the original setup's index set
/// (as its 03_create_indexes.sql described it: btree on foreign keys and filter columns, a btree
/// duplicating UNIQUE(issue_id), GIN over all of full_data, English to_tsvector GIN indexes on
/// issue title+description, comment content and attachment text) and no search-document triggers.
/// </summary>
public static class OriginalSchema
{
    public const string Create = """
        DROP SCHEMA IF EXISTS orig CASCADE;
        CREATE SCHEMA orig;
        CREATE TABLE orig.issues (LIKE ims.issues INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
        ALTER TABLE orig.issues ADD PRIMARY KEY (issue_pk), ADD UNIQUE (issue_id);
        CREATE TABLE orig.session_issues (LIKE ims.session_issues INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
        ALTER TABLE orig.session_issues ADD PRIMARY KEY (session_issue_id), ADD UNIQUE (session_id, issue_pk),
            ADD FOREIGN KEY (session_id) REFERENCES ims.crawl_sessions (session_id) ON DELETE CASCADE,
            ADD FOREIGN KEY (issue_pk) REFERENCES orig.issues (issue_pk) ON DELETE CASCADE;
        CREATE TABLE orig.issue_comments (LIKE ims.issue_comments INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
        ALTER TABLE orig.issue_comments ADD PRIMARY KEY (comment_id),
            ADD FOREIGN KEY (issue_pk) REFERENCES orig.issues (issue_pk) ON DELETE CASCADE;
        CREATE TABLE orig.issue_history (LIKE ims.issue_history INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
        ALTER TABLE orig.issue_history ADD PRIMARY KEY (history_id),
            ADD FOREIGN KEY (issue_pk) REFERENCES orig.issues (issue_pk) ON DELETE CASCADE;
        CREATE TABLE orig.attachments (LIKE ims.attachments INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
        ALTER TABLE orig.attachments ADD PRIMARY KEY (attachment_id),
            ADD FOREIGN KEY (issue_pk) REFERENCES orig.issues (issue_pk) ON DELETE CASCADE,
            ADD FOREIGN KEY (session_id) REFERENCES ims.crawl_sessions (session_id) ON DELETE SET NULL;

        CREATE INDEX ON orig.issues (issue_id);
        CREATE INDEX ON orig.issues (product);
        CREATE INDEX ON orig.issues (status);
        CREATE INDEX ON orig.issues (priority);
        CREATE INDEX ON orig.issues (registered_date);
        CREATE INDEX ON orig.issues (product, status);
        CREATE INDEX ON orig.issues USING gin (full_data);
        CREATE INDEX ON orig.issues USING gin (to_tsvector('english', title || ' ' || coalesce(description, '')));
        CREATE INDEX ON orig.session_issues (session_id);
        CREATE INDEX ON orig.session_issues (issue_pk);
        CREATE INDEX ON orig.issue_comments (issue_pk);
        CREATE INDEX ON orig.issue_comments USING gin (to_tsvector('english', coalesce(content, '')));
        CREATE INDEX ON orig.issue_history (issue_pk);
        CREATE INDEX ON orig.issue_history (changed_at);
        CREATE INDEX ON orig.attachments (issue_pk);
        CREATE INDEX ON orig.attachments (session_id);
        CREATE INDEX ON orig.attachments USING gin (to_tsvector('english', coalesce(extracted_text, '')));
        """;

    public const string Truncate = "TRUNCATE orig.issues, orig.session_issues, orig.issue_comments, orig.issue_history, orig.attachments";
}
