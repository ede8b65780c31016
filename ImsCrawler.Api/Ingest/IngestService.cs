using Dapper;
using ImsCrawler.Api.Data;
using Microsoft.Extensions.Options;

namespace ImsCrawler.Api.Ingest;

/// <summary>The answer to one ingest batch.</summary>
public sealed record IngestResponse(
    string SessionUuid,
    int Items,
    int Skipped,
    int Inserted,
    int Updated,
    int Unchanged,
    int Linked,
    int CommentsWritten,
    int HistoryWritten,
    int AttachmentsWritten,
    IReadOnlyList<string> Warnings);

public enum IngestStatus { Done, SessionNotFound, SessionNotRunning }

public sealed record IngestOutcome(IngestStatus Status, IngestCounts? Counts = null, string? SessionStatus = null);

/// <summary>
/// Ingests mapped batches into a session as the calling user, in one transaction per batch
/// (<see cref="UserDatabase"/>: the user's role and RLS id, retries of transient faults). The
/// session is found through RLS (another user's session simply is not there) and locked, so
/// concurrent batches of one session run one after the other.
/// </summary>
public sealed class IngestService(UserDatabase database, IOptions<IngestOptions> options)
{
    private readonly TimeZoneInfo zone = ImsDates.TryFindZone(options.Value.TimeZone, out var z)
        ? z
        : throw new InvalidOperationException($"Ingest:TimeZone '{options.Value.TimeZone}' is not a known time zone.");

    public IngestOptions Options => options.Value;

    public CrawledIssueMapper CreateMapper() => new(zone);

    private sealed record SessionRow(long SessionId, string Status);

    /// <summary>
    /// Writes the batch; an issue whose search document had to be cut to PostgreSQL's tsvector limit adds a warning
    /// to <paramref name="batch"/> (the issue is stored whole either way).
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(DatabaseUser user, string sessionUuid, IngestBatch batch,
        CancellationToken cancellationToken)
    {
        var outcome = await WriteAsync(user, sessionUuid, batch, cancellationToken);
        foreach (var cut in outcome.Counts?.SearchDocumentsCut ?? [])
            batch.Warnings.Add($"items[{cut.Ord}]: issue {cut.IssueId}'s text is larger than one search document holds; " +
                               $"it is stored whole, but searchable only up to part of its {cut.CutFrom} " +
                               "(title, description, comments, attachment text are indexed in that order)");
        return outcome;
    }

    private Task<IngestOutcome> WriteAsync(DatabaseUser user, string sessionUuid, IngestBatch batch,
        CancellationToken cancellationToken) =>
        database.RunAsync(user, async (connection, transaction, token) =>
        {
            var session = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
                "SELECT session_id AS SessionId, status AS Status FROM ims.crawl_sessions WHERE session_uuid = @sessionUuid FOR NO KEY UPDATE",
                new { sessionUuid }, transaction, cancellationToken: token));
            if (session is null)
                return new IngestOutcome(IngestStatus.SessionNotFound);
            if (session.Status != "running")
                return new IngestOutcome(IngestStatus.SessionNotRunning, SessionStatus: session.Status);
            if (batch.Issues.Count == 0)
                return new IngestOutcome(IngestStatus.Done, new IngestCounts(0, 0, 0, 0, 0, 0, 0));
            var counts = await IssueIngestor.WriteAsync(connection, transaction, session.SessionId, batch, token);
            return new IngestOutcome(IngestStatus.Done, counts);
        }, cancellationToken);
}
