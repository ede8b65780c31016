using System.Diagnostics;
using ImsCrawler.Api.Data;
using Microsoft.Extensions.Options;

namespace ImsCrawler.Api.Ingest;

/// <summary>The answer to one ingest batch: the items sent and skipped, what the write did (<see cref="IngestCounts"/>), warnings.</summary>
public sealed record IngestResponse : IngestCounts
{
    public IngestResponse(string sessionUuid, int items, int skipped, IngestCounts counts, IReadOnlyList<string> warnings) : base(counts)
    {
        SessionUuid = sessionUuid;
        Items = items;
        Skipped = skipped;
        Warnings = warnings;
    }

    public string SessionUuid { get; }
    public int Items { get; }
    public int Skipped { get; }
    public IReadOnlyList<string> Warnings { get; }
}

public enum IngestStatus { Done, SessionNotFound, SessionNotRunning }

public sealed record IngestOutcome(IngestStatus Status, IngestCounts? Counts = null, string? SessionStatus = null);

/// <summary>
/// Ingests mapped batches into a session as the calling user, in one transaction per batch
/// (<see cref="UserDatabase"/>: the user's role and RLS id, retries of transient faults). The
/// session is found through RLS (another user's session simply is not there) and locked, so
/// concurrent batches of one session run one after the other. Each batch is traced and measured
/// (<see cref="IngestTelemetry"/>).
/// </summary>
public sealed class IngestService(UserDatabase database, IngestTelemetry telemetry, IOptions<IngestOptions> options)
{
    private readonly TimeZoneInfo zone = ImsDates.TryFindZone(options.Value.TimeZone, out var z)
        ? z
        : throw new InvalidOperationException($"Ingest:TimeZone '{options.Value.TimeZone}' is not a known time zone.");

    public IngestOptions Options => options.Value;

    public CrawledIssueMapper CreateMapper() => new(zone);

    /// <summary>
    /// Writes the batch; an issue whose search document had to be cut to PostgreSQL's tsvector limit adds a warning
    /// to <paramref name="batch"/> (the issue is stored whole either way).
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(DatabaseUser user, string sessionUuid, IngestBatch batch,
        CancellationToken cancellationToken)
    {
        using var activity = telemetry.StartBatch(batch);
        var clock = Stopwatch.StartNew();
        var outcome = await database.RunAsync(user, session => WriteAsync(session, sessionUuid, batch), cancellationToken);
        telemetry.Record(activity, batch, outcome, clock.Elapsed);
        foreach (var cut in outcome.Counts?.SearchDocumentsCut ?? [])
            batch.Warnings.Add($"items[{cut.Ord}]: issue {cut.IssueId}'s text is larger than one search document holds; " +
                               $"it is stored whole, but searchable only up to part of its {cut.CutFrom} " +
                               "(title, description, comments, attachment text are indexed in that order)");
        return outcome;
    }

    private static async Task<IngestOutcome> WriteAsync(UserSession session, string sessionUuid, IngestBatch batch)
    {
        var target = await session.LockSessionAsync(sessionUuid);
        if (target is null)
            return new IngestOutcome(IngestStatus.SessionNotFound);
        if (target.Status != "running")
            return new IngestOutcome(IngestStatus.SessionNotRunning, SessionStatus: target.Status);
        if (batch.Issues.Count == 0)
            return new IngestOutcome(IngestStatus.Done, new IngestCounts(0, 0, 0, 0, 0, 0, 0));
        return new IngestOutcome(IngestStatus.Done, await session.WriteIssuesAsync(target.SessionId, batch));
    }
}
