using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImsCrawler.Api.Telemetry;

namespace ImsCrawler.Api.Ingest;

/// <summary>
/// One trace (Activity <c>ingest batch</c>) per ingested batch, tagged with what it did, and the metrics
/// <c>ims.ingest.issues</c> (issues written, a rate gives issues/s), <c>ims.ingest.batch.size</c>,
/// <c>ims.ingest.rows</c> (rows inserted or changed) and <c>ims.ingest.duration</c>.
/// </summary>
public sealed class IngestTelemetry
{
    private readonly Counter<long> issues;
    private readonly Histogram<int> batchSize;
    private readonly Counter<long> rows;
    private readonly Histogram<double> duration;

    public IngestTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ApiTelemetry.Name);
        issues = meter.CreateCounter<long>("ims.ingest.issues", "{issue}", "Crawled issues ingested (inserted, updated or unchanged)");
        batchSize = meter.CreateHistogram<int>("ims.ingest.batch.size", "{issue}", "Issues per ingested batch");
        rows = meter.CreateCounter<long>("ims.ingest.rows", "{row}", "Rows an ingest inserted or changed (issues, links, comments, history, attachments)");
        duration = meter.CreateHistogram<double>("ims.ingest.duration", "s", "Time to write one batch, retries included");
    }

    public Activity? StartBatch(IngestBatch batch)
    {
        var activity = ApiTelemetry.Source.StartActivity("ingest batch");
        activity?.SetTag("ims.ingest.items", batch.Issues.Count);
        activity?.SetTag("ims.ingest.skipped", batch.SkippedItems);
        return activity;
    }

    public void Record(Activity? activity, IngestBatch batch, IngestOutcome outcome, TimeSpan elapsed)
    {
        if (outcome.Counts is not { } counts)
        {
            activity?.SetTag("ims.ingest.refused", outcome.Status.ToString());
            return;
        }
        var written = counts.Inserted + counts.Updated + counts.Linked + counts.CommentsWritten + counts.HistoryWritten
                      + counts.AttachmentsWritten;
        issues.Add(counts.Inserted + counts.Updated + counts.Unchanged);
        batchSize.Record(batch.Issues.Count);
        rows.Add(written);
        duration.Record(elapsed.TotalSeconds);
        activity?.SetTag("ims.ingest.inserted", counts.Inserted);
        activity?.SetTag("ims.ingest.updated", counts.Updated);
        activity?.SetTag("ims.ingest.unchanged", counts.Unchanged);
        activity?.SetTag("ims.ingest.rows_written", written);
    }
}
