using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>Registers the ingest path (options from the <c>Ingest</c> section, the service and its telemetry).</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>()
            .Bind(configuration.GetSection(IngestOptions.SectionName))
            .Validate(o => o.MaxItems > 0 && o.MaxBytes > 0, "Ingest:MaxItems and Ingest:MaxBytes must be positive.")
            .Validate(o => ImsDates.TryFindZone(o.TimeZone, out _), "Ingest:TimeZone must be a known time zone id (e.g. Asia/Seoul).")
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<IngestTelemetry>();
        services.AddSingleton<IngestService>();
        if (!services.Any(d => d.ServiceType == typeof(UserDatabase)))
            services.AddUserDatabase();
        return services;
    }
}
