using ImsCrawler.Api.Ingest;
using Npgsql;
using NpgsqlTypes;

namespace ImsCrawler.Benchmarks;

/// <summary>
/// The two comparison paths: (b) a raw binary COPY of the already mapped rows straight into the
/// tables (issue keys assigned up front), and (c) the original crawler's per-issue pattern: select
/// by issue_id, update or insert, link, delete and re-insert all comments and history, one
/// statement each, one transaction per issue.
/// </summary>
public static class RawWriters
{
    public static async Task CopyAsync(NpgsqlConnection connection, string schema, long sessionId, IngestBatch batch, long firstPk)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var pkOf = batch.Issues.Select((issue, i) => (issue.Ord, Pk: firstPk + i)).ToDictionary(x => x.Ord, x => x.Pk);
        var now = DateTime.UtcNow;

        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {schema}.issues (issue_pk, issue_id, title, description, product, status, priority, severity, issue_type, reporter, " +
            "owner, manager, registered_date, modified_date, closed_date, project_name, customer, found_version, fixed_version, full_data, " +
            "crawl_count, first_crawled_at, last_crawled_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in batch.Issues)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(pkOf[r.Ord], NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.IssueId, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Title ?? "", NpgsqlDbType.Text);
                foreach (var text in new[] { r.Description, r.Product, r.Status, r.Priority, r.Severity, r.IssueType, r.Reporter, r.Owner, r.Manager })
                    await Text(copy, text);
                await Time(copy, r.RegisteredDate);
                await Time(copy, r.ModifiedDate);
                await Time(copy, r.Status is "Closed" ? r.ModifiedDate : null);
                foreach (var text in new[] { r.ProjectName, r.Customer, r.FoundVersion, r.FixedVersion })
                    await Text(copy, text);
                await copy.WriteAsync(r.FullData, NpgsqlDbType.Jsonb);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {schema}.session_issues (session_id, issue_pk, crawl_order) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in batch.Issues)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(sessionId, NpgsqlDbType.Bigint);
                await copy.WriteAsync(pkOf[r.Ord], NpgsqlDbType.Bigint);
                await Int(copy, r.CrawlOrder);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {schema}.issue_comments (issue_pk, comment_number, author, content, commented_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in batch.Comments)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(pkOf[r.Ord], NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.CommentNumber, NpgsqlDbType.Integer);
                await Text(copy, r.Author);
                await Text(copy, r.Content);
                await Time(copy, r.CommentedAt);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {schema}.issue_history (issue_pk, changed_by, changed_at, change_type, field_name, old_value, new_value, description) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in batch.History)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(pkOf[r.Ord], NpgsqlDbType.Bigint);
                await Text(copy, r.ChangedBy);
                await Time(copy, r.ChangedAt);
                foreach (var text in new[] { r.ChangeType, r.FieldName, r.OldValue, r.NewValue, r.Description })
                    await Text(copy, text);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {schema}.attachments (issue_pk, session_id, filename, file_type, file_size, file_path, downloaded, extracted_text, text_extracted) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in batch.Attachments)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(pkOf[r.Ord], NpgsqlDbType.Bigint);
                await copy.WriteAsync(sessionId, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.Filename, NpgsqlDbType.Varchar);
                await Text(copy, r.FileType);
                if (r.FileSize is { } size) await copy.WriteAsync(size, NpgsqlDbType.Bigint); else await copy.WriteNullAsync();
                await Text(copy, r.FilePath);
                await copy.WriteAsync(r.Downloaded, NpgsqlDbType.Boolean);
                await Text(copy, r.ExtractedText);
                await copy.WriteAsync(r.TextExtracted, NpgsqlDbType.Boolean);
            }
            await copy.CompleteAsync();
        }
        await transaction.CommitAsync();
    }

    public static async Task PerIssueAsync(NpgsqlConnection connection, string schema, long sessionId, IngestBatch batch)
    {
        var comments = batch.Comments.ToLookup(c => c.Ord);
        var history = batch.History.ToLookup(h => h.Ord);
        var attachments = batch.Attachments.ToLookup(a => a.Ord);
        foreach (var r in batch.Issues)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var found = await ScalarAsync(connection, $"SELECT issue_pk FROM {schema}.issues WHERE issue_id = $1", r.IssueId);
            long pk;
            object?[] values =
            [
                r.Title ?? "", r.Description, r.Product, r.Status, r.Priority, r.Severity, r.IssueType, r.Reporter, r.Owner, r.Manager,
                r.RegisteredDate, r.ModifiedDate, r.ProjectName, r.Customer, r.FoundVersion, r.FixedVersion,
            ];
            if (found is null)
                pk = (long)(await ScalarAsync(connection,
                    $"INSERT INTO {schema}.issues (title, description, product, status, priority, severity, issue_type, reporter, owner, manager, " +
                    "registered_date, modified_date, project_name, customer, found_version, fixed_version, issue_id, full_data) " +
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::jsonb) RETURNING issue_pk",
                    [.. values, r.IssueId, r.FullData]))!;
            else
            {
                pk = (long)found;
                await ExecuteAsync(connection,
                    $"UPDATE {schema}.issues SET title = $1, description = $2, product = $3, status = $4, priority = $5, severity = $6, " +
                    "issue_type = $7, reporter = $8, owner = $9, manager = $10, registered_date = $11, modified_date = $12, project_name = $13, " +
                    "customer = $14, found_version = $15, fixed_version = $16, full_data = $17::jsonb, crawl_count = crawl_count + 1, " +
                    "last_crawled_at = now() WHERE issue_pk = $18",
                    [.. values, r.FullData, pk]);
            }
            await ExecuteAsync(connection, $"INSERT INTO {schema}.session_issues (session_id, issue_pk, crawl_order) VALUES ($1, $2, $3) " +
                "ON CONFLICT (session_id, issue_pk) DO NOTHING", sessionId, pk, r.CrawlOrder);
            await ExecuteAsync(connection, $"DELETE FROM {schema}.issue_comments WHERE issue_pk = $1", pk);
            foreach (var c in comments[r.Ord])
                await ExecuteAsync(connection, $"INSERT INTO {schema}.issue_comments (issue_pk, comment_number, author, content, commented_at) VALUES ($1, $2, $3, $4, $5)",
                    pk, c.CommentNumber, c.Author, c.Content, c.CommentedAt);
            await ExecuteAsync(connection, $"DELETE FROM {schema}.issue_history WHERE issue_pk = $1", pk);
            foreach (var h in history[r.Ord])
                await ExecuteAsync(connection, $"INSERT INTO {schema}.issue_history (issue_pk, changed_by, changed_at, change_type, field_name, old_value, new_value, description) " +
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", pk, h.ChangedBy, h.ChangedAt, h.ChangeType, h.FieldName, h.OldValue, h.NewValue, h.Description);
            foreach (var a in attachments[r.Ord])
                await ExecuteAsync(connection, $"INSERT INTO {schema}.attachments (issue_pk, session_id, filename, file_type, file_size, file_path, downloaded, extracted_text, text_extracted) " +
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", pk, sessionId, a.Filename, a.FileType, a.FileSize, a.FilePath, a.Downloaded, a.ExtractedText, a.TextExtracted);
            await transaction.CommitAsync();
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object?[] args)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
            command.Parameters.Add(arg switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                DateTime t => new NpgsqlParameter { Value = t, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                _ => new NpgsqlParameter { Value = arg },
            });
        return command;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, params object?[] args)
    {
        await using var command = Command(connection, sql, args);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object?[] args)
    {
        await using var command = Command(connection, sql, args);
        await command.ExecuteNonQueryAsync();
    }

    private static Task Text(NpgsqlBinaryImporter copy, string? value) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, NpgsqlDbType.Text);

    private static Task Time(NpgsqlBinaryImporter copy, DateTime? value) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.TimestampTz) : copy.WriteNullAsync();

    private static Task Int(NpgsqlBinaryImporter copy, int? value) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Integer) : copy.WriteNullAsync();
}
