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

    /// <summary>Creates the staging tables and copies the batch into them, then gives the planner their statistics.</summary>
    public static async Task StageAsync(UserSession session, IngestBatch batch)
    {
        var connection = session.Connection;
        var cancellationToken = session.CancellationToken;
        await session.ExecuteAsync(CreateStaging, commandTimeout: 0);
        await CopyAsync(connection,
            "COPY pg_temp.ingest_issue (ord, issue_id, title, description, product, status, priority, severity, issue_type, " +
            "reporter, owner, manager, registered_date, modified_date, project_name, customer, found_version, fixed_version, " +
            "full_data, crawl_order, crawl_duration_ms, crawled_at) FROM STDIN (FORMAT BINARY)",
            batch.Issues, async (copy, r, ct) =>
            {
                await copy.WriteAsync(r.Ord, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.IssueId, NpgsqlDbType.Text, ct);
                await Text(copy, r.Title, ct);
                await Text(copy, r.Description, ct);
                await Text(copy, r.Product, ct);
                await Text(copy, r.Status, ct);
                await Text(copy, r.Priority, ct);
                await Text(copy, r.Severity, ct);
                await Text(copy, r.IssueType, ct);
                await Text(copy, r.Reporter, ct);
                await Text(copy, r.Owner, ct);
                await Text(copy, r.Manager, ct);
                await Time(copy, r.RegisteredDate, ct);
                await Time(copy, r.ModifiedDate, ct);
                await Text(copy, r.ProjectName, ct);
                await Text(copy, r.Customer, ct);
                await Text(copy, r.FoundVersion, ct);
                await Text(copy, r.FixedVersion, ct);
                await copy.WriteAsync(r.FullData, NpgsqlDbType.Jsonb, ct);
                await Int(copy, r.CrawlOrder, ct);
                await Int(copy, r.CrawlDurationMs, ct);
                await Time(copy, r.CrawledAt, ct);
            }, cancellationToken);

        await CopyAsync(connection,
            "COPY pg_temp.ingest_comment (ord, comment_number, author, content, commented_at) FROM STDIN (FORMAT BINARY)",
            batch.Comments, async (copy, r, ct) =>
            {
                await copy.WriteAsync(r.Ord, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.CommentNumber, NpgsqlDbType.Integer, ct);
                await Text(copy, r.Author, ct);
                await Text(copy, r.Content, ct);
                await Time(copy, r.CommentedAt, ct);
            }, cancellationToken);

        await CopyAsync(connection,
            "COPY pg_temp.ingest_history (ord, changed_by, changed_at, change_type, field_name, old_value, new_value, description) " +
            "FROM STDIN (FORMAT BINARY)",
            batch.History, async (copy, r, ct) =>
            {
                await copy.WriteAsync(r.Ord, NpgsqlDbType.Integer, ct);
                await Text(copy, r.ChangedBy, ct);
                await Time(copy, r.ChangedAt, ct);
                await Text(copy, r.ChangeType, ct);
                await Text(copy, r.FieldName, ct);
                await Text(copy, r.OldValue, ct);
                await Text(copy, r.NewValue, ct);
                await Text(copy, r.Description, ct);
            }, cancellationToken);

        await CopyAsync(connection,
            "COPY pg_temp.ingest_attachment (ord, filename, file_type, file_size, file_path, downloaded, extracted_text, text_extracted) " +
            "FROM STDIN (FORMAT BINARY)",
            batch.Attachments, async (copy, r, ct) =>
            {
                await copy.WriteAsync(r.Ord, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Filename, NpgsqlDbType.Text, ct);
                await Text(copy, r.FileType, ct);
                await Long(copy, r.FileSize, ct);
                await Text(copy, r.FilePath, ct);
                await copy.WriteAsync(r.Downloaded, NpgsqlDbType.Boolean, ct);
                await Text(copy, r.ExtractedText, ct);
                await copy.WriteAsync(r.TextExtracted, NpgsqlDbType.Boolean, ct);
            }, cancellationToken);
        await session.ExecuteAsync(AnalyzeStaging, commandTimeout: 0);
    }

    /// <summary>Binary COPY of <paramref name="rows"/> into a staging table; nothing is sent for an empty list.</summary>
    private static async Task CopyAsync<TRow>(NpgsqlConnection connection, string copyCommand, IReadOnlyCollection<TRow> rows,
        Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> writeRow, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        await using var copy = await connection.BeginBinaryImportAsync(copyCommand, cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await writeRow(copy, row, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    private static Task Text(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task Time(NpgsqlBinaryImporter copy, DateTime? value, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.TimestampTz, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task Long(NpgsqlBinaryImporter copy, long? value, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Bigint, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task Int(NpgsqlBinaryImporter copy, int? value, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Integer, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
