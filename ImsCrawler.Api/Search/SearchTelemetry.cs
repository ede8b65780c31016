using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImsCrawler.Api.Telemetry;

namespace ImsCrawler.Api.Search;

/// <summary>
/// One trace (Activity <c>search</c>) per search, tagged with the query's length and what it found, and the metrics
/// <c>ims.search.duration</c> and <c>ims.search.hits</c> (hits per page), tagged <c>page</c> first or next.
/// </summary>
public sealed class SearchTelemetry
{
    private readonly Histogram<double> duration;
    private readonly Histogram<int> hits;

    public SearchTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ApiTelemetry.Name);
        duration = meter.CreateHistogram<double>("ims.search.duration", "s", "Time to answer a search (count, page, snippets, history)");
        hits = meter.CreateHistogram<int>("ims.search.hits", "{hit}", "Hits on a page of search results");
    }

    public Activity? Start(SearchFilter filter)
    {
        var activity = ApiTelemetry.Source.StartActivity("search");
        activity?.SetTag("ims.search.query_length", filter.Query.Length);
        return activity;
    }

    /// <param name="lastTier">The ranking tier of the page's last hit (1 title … 4 attachments): how deep the page reached.</param>
    public void Record(Activity? activity, SearchPage page, int? lastTier, bool firstPage, TimeSpan elapsed)
    {
        var pageTag = new KeyValuePair<string, object?>("page", firstPage ? "first" : "next");
        duration.Record(elapsed.TotalSeconds, pageTag);
        hits.Record(page.Items.Count, pageTag);
        activity?.SetTag("ims.search.hits", page.Items.Count);
        activity?.SetTag("ims.search.total", page.Total);
        activity?.SetTag("ims.search.total_is_estimate", page.TotalIsEstimate);
        if (lastTier is { } tier)
            activity?.SetTag("ims.search.tier", tier);
    }
}
