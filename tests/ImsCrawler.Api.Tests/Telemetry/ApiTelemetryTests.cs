using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ImsCrawler.Api.Search;
using ImsCrawler.Api.Telemetry;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Tests.Ingest;
using ImsCrawler.Api.Tests.Search;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ImsCrawler.Api.Tests.Telemetry;

/// <summary>Listeners see every host of the process: these tests run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>The Api's own traces and metrics for ingest and search (<see cref="ApiTelemetry"/>).</summary>
[Collection(nameof(TelemetryCollection))]
public sealed class ApiTelemetryTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_ingest_batch_is_one_trace_tagged_with_what_it_did_and_feeds_the_ingest_metrics()
    {
        var user = await api.CreateUserAsync();
        var session = await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        using var client = api.CreateClient(user);
        JsonNode[] items = [CrawledIssues.Full(CrawledIssues.UniqueId()), CrawledIssues.Small(CrawledIssues.UniqueId()),
            new JsonObject { ["issue_id"] = "unknown", ["title"] = "a page the crawler could not parse" }];
        using var recorder = new TelemetryRecorder();

        var first = await (await client.PostAsync($"/api/sessions/{session}/issues", CrawledIssues.Json(items))).ReadJsonAsync();
        var again = await (await client.PostAsync($"/api/sessions/{session}/issues", CrawledIssues.Json(items))).ReadJsonAsync();

        var written = new[] { "inserted", "updated", "linked", "commentsWritten", "historyWritten", "attachmentsWritten" }
            .Sum(field => first.GetProperty(field).GetInt32());
        Assert.True(written > 2, $"The first batch wrote {written} rows.");
        var batches = recorder.Activities.Where(activity => activity.OperationName == "ingest batch").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal((2, 1, 2, 0, 0, written), Tags(batches[0]));
        Assert.Equal((2, 1, 0, 0, 2, 0), Tags(batches[1]));
        Assert.Equal(0, again.GetProperty("inserted").GetInt32());
        Assert.Equal([2.0, 2.0], recorder.ValuesOf("ims.ingest.issues"));
        Assert.Equal([2.0, 2.0], recorder.ValuesOf("ims.ingest.batch.size"));
        Assert.Equal([written, 0.0], recorder.ValuesOf("ims.ingest.rows"));
        Assert.Equal(2, recorder.ValuesOf("ims.ingest.duration").Count(seconds => seconds > 0));
    }

    [Fact]
    public async Task A_search_is_one_trace_tagged_with_what_it_found_and_feeds_the_search_metrics()
    {
        var code = SearchData.Code();
        await SearchData.IssueAsync(api, $"{code} in the title");
        await SearchData.IssueAsync(api, $"{code} also in the title");
        using var client = api.CreateClient(await api.CreateUserAsync());
        using var recorder = new TelemetryRecorder();

        var page = await (await client.GetAsync($"/api/search?q={code}&limit=1")).ReadAsync<SearchPage>();
        await (await client.GetAsync($"/api/search?q={code}&limit=1&cursor={page.NextCursor}")).ReadAsync<SearchPage>();

        var searches = recorder.Activities.Where(activity => activity.OperationName == "search").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(2, searches.Count);
        foreach (var search in searches)
        {
            Assert.Equal(code.Length, search.GetTagItem("ims.search.query_length"));
            Assert.Equal(1, search.GetTagItem("ims.search.hits"));
            Assert.Equal(2L, search.GetTagItem("ims.search.total"));
            Assert.Equal(false, search.GetTagItem("ims.search.total_is_estimate"));
            Assert.Equal(1, search.GetTagItem("ims.search.tier"));
        }
        Assert.Equal(["first", "next"], recorder.Measurements.Where(m => m.Instrument == "ims.search.duration" && m.Value > 0)
            .Select(m => (string?)m.Tags["page"]));
        Assert.Equal([1.0, 1.0], recorder.ValuesOf("ims.search.hits"));
    }

    [Fact]
    public async Task The_service_defaults_export_the_Apis_traces_and_metrics()
    {
        var exportedActivities = new List<Activity>();
        var exportedMetrics = new List<Metric>();
        await using var app = api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exportedActivities));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exportedMetrics));
        }));
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await api.CreateUserAsync()).Key);

        await (await client.GetAsync($"/api/search?q={SearchData.Code()}")).ReadAsync<SearchPage>();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.Contains(exportedActivities, activity => activity.Source.Name == ApiTelemetry.Name && activity.OperationName == "search");
        Assert.Contains(exportedMetrics, metric => metric.MeterName == ApiTelemetry.Name && metric.Name == "ims.search.duration");
    }

    private static (object?, object?, object?, object?, object?, object?) Tags(Activity batch) => (
        batch.GetTagItem("ims.ingest.items"), batch.GetTagItem("ims.ingest.skipped"), batch.GetTagItem("ims.ingest.inserted"),
        batch.GetTagItem("ims.ingest.updated"), batch.GetTagItem("ims.ingest.unchanged"), batch.GetTagItem("ims.ingest.rows_written"));
}
