using System.Threading.Channels;
using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Search;

/// <summary>One search to keep in its user's history (ims.search_queries).</summary>
public sealed record SearchRecord(string Query, string? Product, long Total, string Matched, bool IntentFiltered, bool ProductFromQuery)
{
    public static SearchRecord Of(SearchFilter filter, SearchResult found) => new(
        filter.Query, found.Interpretation.Product, found.Total, found.Interpretation.Query,
        found.Interpretation.Dropped.Count > 0, found.Interpretation.ProductFromQuery);
}

/// <summary>
/// Writes the first page of each search into the searching user's history on the primary, behind the answer: a
/// search itself writes nothing, so it can be served by a read replica, and its latency does not include the write.
/// A bounded queue; when it is full the record is written at once (slower, never lost). A clean shutdown writes
/// every record still queued before the service stops. A record that cannot be written even after the retry budget
/// is logged with its content.
/// </summary>
public sealed class SearchRecorder(UserDatabase database, ILogger<SearchRecorder> logger) : BackgroundService
{
    public const int Capacity = 10_000;

    private readonly Channel<(DatabaseUser User, SearchRecord Record)> queue =
        Channel.CreateBounded<(DatabaseUser, SearchRecord)>(new BoundedChannelOptions(Capacity) { SingleReader = true });

    private int pending;

    public async Task RecordAsync(DatabaseUser user, SearchRecord record, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref pending);
        if (queue.Writer.TryWrite((user, record)))
            return;
        await WriteAsync(user, record, cancellationToken);
    }

    /// <summary>Completes when every record handed in so far is written (or logged as lost), e.g. before reading the history.</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        while (Volatile.Read(ref pending) > 0)
            await Task.Delay(10, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not stoppingToken: a shutdown lets the loop drain the queue; StopAsync completes the writer.
        await foreach (var (user, record) in queue.Reader.ReadAllAsync(CancellationToken.None))
            await WriteAsync(user, record, CancellationToken.None);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { } draining)
            await draining.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync(DatabaseUser user, SearchRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await database.RunAsync(user, session => session.RecordSearchAsync(record), cancellationToken);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogError(exception, "A search of user {UserId} could not be recorded: {Record}", user.UserId, record);
        }
        finally
        {
            Interlocked.Decrement(ref pending);
        }
    }
}
