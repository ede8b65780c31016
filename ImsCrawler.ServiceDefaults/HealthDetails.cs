using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Decides whether a health response may include the per-check details (names, durations, errors).
/// Replace the registration (e.g. with a policy that checks an admin API key) to open details to more callers.
/// </summary>
public interface IHealthDetailsPolicy
{
    bool MayShowDetails(HttpContext context);
}

public sealed class DevelopmentOnlyHealthDetails(IHostEnvironment environment) : IHealthDetailsPolicy
{
    public bool MayShowDetails(HttpContext context) => environment.IsDevelopment();
}

internal static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var policy = context.RequestServices.GetRequiredService<IHealthDetailsPolicy>();
        if (!policy.MayShowDetails(context))
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status.ToString());
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(Describe(report), JsonOptions));
    }

    private static object Describe(HealthReport report) => new
    {
        status = report.Status.ToString(),
        totalDurationMs = report.TotalDuration.TotalMilliseconds,
        checks = report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new
            {
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description,
                durationMs = entry.Value.Duration.TotalMilliseconds,
                error = entry.Value.Exception?.Message,
                tags = entry.Value.Tags,
            }),
    };
}
