using ImsCrawler.Api.Data;
using Npgsql;
using NpgsqlTypes;

namespace ImsCrawler.Api.Ingest;

/// <summary>
/// The staging half of an ingest: temporary tables (ON COMMIT DROP) filled by binary COPY from the mapped batch,
/// which <see cref="IssueIngestor"/> then merges into the ims tables.
/// </summary>
internal static class IngestStaging
{
    private const string CreateStaging = """
        CREATE TEMP TABLE ingest_issue (
            ord integer NOT NULL, issue_id text NOT NULL, title text, description text, product text, status text,
            priority text, severity text, issue_type text, reporter text, owner text, manager text,
            registered_date timestamptz, modified_date timestamptz, project_name text, customer text,
            found_version text, fixed_version text, full_data jsonb NOT NULL, crawl_order integer,
            crawl_duration_ms integer, crawled_at timestamptz,
            issue_pk bigint, existed boolean NOT NULL DEFAULT false, changed boolean NOT NULL DEFAULT false,
            new_link boolean NOT NULL DEFAULT true, inserted boolean NOT NULL DEFAULT false
        ) ON COMMIT DROP;
        CREATE TEMP TABLE ingest_comment (
            ord integer NOT NULL, comment_number integer NOT NULL, author text, content text, commented_at timestamptz
        ) ON COMMIT DROP;
        CREATE TEMP TABLE ingest_history (
            ord integer NOT NULL, changed_by text, changed_at timestamptz, change_type text, field_name text,
            old_value text, new_value text, description text
        ) ON COMMIT DROP;
        CREATE TEMP TABLE ingest_attachment (
            ord integer NOT NULL, filename text NOT NULL, file_type text, file_size bigint, file_path text,
            downloaded boolean NOT NULL, extracted_text text, text_extracted boolean NOT NULL
        ) ON COMMIT DROP;
        """;

    // Temporary tables have no statistics until analyzed; without them the planner may scan ims.issues.
    private const string AnalyzeStaging = """
        ANALYZE pg_temp.ingest_issue; ANALYZE pg_temp.ingest_comment; ANALYZE pg_temp.ingest_history; ANALYZE pg_temp.ingest_attachment;
        """;

    private static readonly StagingTable<StagedIssue> Issues = new StagingTable<StagedIssue>("ingest_issue")
        .Int("ord", r => r.Ord).Text("issue_id", r => r.IssueId).Text("title", r => r.Title)
        .Text("description", r => r.Description).Text("product", r => r.Product).Text("status", r => r.Status)
        .Text("priority", r => r.Priority).Text("severity", r => r.Severity).Text("issue_type", r => r.IssueType)
        .Text("reporter", r => r.Reporter).Text("owner", r => r.Owner).Text("manager", r => r.Manager)
        .Time("registered_date", r => r.RegisteredDate).Time("modified_date", r => r.ModifiedDate)
        .Text("project_name", r => r.ProjectName).Text("customer", r => r.Customer).Text("found_version", r => r.FoundVersion)
        .Text("fixed_version", r => r.FixedVersion).Jsonb("full_data", r => r.FullData).Int("crawl_order", r => r.CrawlOrder)
        .Int("crawl_duration_ms", r => r.CrawlDurationMs).Time("crawled_at", r => r.CrawledAt);

    private static readonly StagingTable<StagedComment> Comments = new StagingTable<StagedComment>("ingest_comment")
        .Int("ord", r => r.Ord).Int("comment_number", r => r.CommentNumber).Text("author", r => r.Author)
        .Text("content", r => r.Content).Time("commented_at", r => r.CommentedAt);

    private static readonly StagingTable<StagedHistory> History = new StagingTable<StagedHistory>("ingest_history")
        .Int("ord", r => r.Ord).Text("changed_by", r => r.ChangedBy).Time("changed_at", r => r.ChangedAt)
        .Text("change_type", r => r.ChangeType).Text("field_name", r => r.FieldName).Text("old_value", r => r.OldValue)
        .Text("new_value", r => r.NewValue).Text("description", r => r.Description);

    private static readonly StagingTable<StagedAttachment> Attachments = new StagingTable<StagedAttachment>("ingest_attachment")
        .Int("ord", r => r.Ord).Text("filename", r => r.Filename).Text("file_type", r => r.FileType).Long("file_size", r => r.FileSize)
        .Text("file_path", r => r.FilePath).Bool("downloaded", r => r.Downloaded).Text("extracted_text", r => r.ExtractedText)
        .Bool("text_extracted", r => r.TextExtracted);

    /// <summary>Creates the staging tables and copies the batch into them, then gives the planner their statistics.</summary>
    public static async Task StageAsync(UserSession session, IngestBatch batch)
    {
        await session.ExecuteAsync(CreateStaging, commandTimeout: 0);
        await Issues.CopyAsync(session, batch.Issues);
        await Comments.CopyAsync(session, batch.Comments);
        await History.CopyAsync(session, batch.History);
        await Attachments.CopyAsync(session, batch.Attachments);
        await session.ExecuteAsync(AnalyzeStaging, commandTimeout: 0);
    }

    /// <summary>A staging table's columns, each a name and how a row's value is written, in COPY order.</summary>
    private sealed class StagingTable<TRow>(string table)
    {
        private readonly List<(string Name, Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> Write)> columns = [];

        public StagingTable<TRow> Text(string name, Func<TRow, string?> value) =>
            Add(name, (copy, row, ct) => value(row) is { } v ? copy.WriteAsync(v, NpgsqlDbType.Text, ct) : copy.WriteNullAsync(ct));

        public StagingTable<TRow> Jsonb(string name, Func<TRow, string> value) =>
            Add(name, (copy, row, ct) => copy.WriteAsync(value(row), NpgsqlDbType.Jsonb, ct));

        public StagingTable<TRow> Time(string name, Func<TRow, DateTime?> value) =>
            Add(name, (copy, row, ct) => value(row) is { } v ? copy.WriteAsync(v, NpgsqlDbType.TimestampTz, ct) : copy.WriteNullAsync(ct));

        public StagingTable<TRow> Int(string name, Func<TRow, int?> value) =>
            Add(name, (copy, row, ct) => value(row) is { } v ? copy.WriteAsync(v, NpgsqlDbType.Integer, ct) : copy.WriteNullAsync(ct));

        public StagingTable<TRow> Long(string name, Func<TRow, long?> value) =>
            Add(name, (copy, row, ct) => value(row) is { } v ? copy.WriteAsync(v, NpgsqlDbType.Bigint, ct) : copy.WriteNullAsync(ct));

        public StagingTable<TRow> Bool(string name, Func<TRow, bool> value) =>
            Add(name, (copy, row, ct) => copy.WriteAsync(value(row), NpgsqlDbType.Boolean, ct));

        /// <summary>Binary COPY of <paramref name="rows"/>; nothing is sent for an empty list.</summary>
        public async Task CopyAsync(UserSession session, IReadOnlyCollection<TRow> rows)
        {
            if (rows.Count == 0)
                return;
            var token = session.CancellationToken;
            var command = $"COPY pg_temp.{table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
            await using var copy = await session.Connection.BeginBinaryImportAsync(command, token);
            foreach (var row in rows)
            {
                await copy.StartRowAsync(token);
                foreach (var column in columns)
                    await column.Write(copy, row, token);
            }
            await copy.CompleteAsync(token);
        }

        private StagingTable<TRow> Add(string name, Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> write)
        {
            columns.Add((name, write));
            return this;
        }
    }
}
