using System.Diagnostics;

namespace ImsCrawler.Api.Telemetry;

/// <summary>
/// The Api's own traces and metrics: one <see cref="ActivitySource"/> and one meter, both named <see cref="Name"/>,
/// the application's name, which the OpenTelemetry registration of the service defaults exports (traces and metrics).
/// Ingest (<see cref="Ingest.IngestTelemetry"/>) and search (<see cref="Search.SearchTelemetry"/>) record on them.
/// </summary>
public static class ApiTelemetry
{
    public const string Name = "ImsCrawler.Api";

    public static readonly ActivitySource Source = new(Name);
}
