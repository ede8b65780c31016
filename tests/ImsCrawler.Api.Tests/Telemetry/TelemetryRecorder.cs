using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImsCrawler.Api.Telemetry;

namespace ImsCrawler.Api.Tests.Telemetry;

/// <summary>What the Api's ActivitySource and meter (<see cref="ApiTelemetry.Name"/>) emit while it is alive.</summary>
public sealed class TelemetryRecorder : IDisposable
{
    private readonly ActivityListener activities;
    private readonly MeterListener meters = new();

    public TelemetryRecorder()
    {
        activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ApiTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Activities.Add,
        };
        ActivitySource.AddActivityListener(activities);
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ApiTelemetry.Name)
                listener.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        meters.Start();
    }

    public ConcurrentBag<Activity> Activities { get; } = [];

    public ConcurrentQueue<(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)> Measurements { get; } = new();

    public IReadOnlyList<double> ValuesOf(string instrument) =>
        Measurements.Where(m => m.Instrument == instrument).Select(m => m.Value).ToList();

    public void Dispose()
    {
        activities.Dispose();
        meters.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value)));
}
