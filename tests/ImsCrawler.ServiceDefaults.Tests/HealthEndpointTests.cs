using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ImsCrawler.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    [Theory]
    [InlineData("Production", "/health")]
    [InlineData("Production", "/alive")]
    [InlineData("Development", "/health")]
    [InlineData("Development", "/alive")]
    public async Task EndpointsAnswerInEveryEnvironment(string environment, string path)
    {
        await using var app = await StartAppAsync(environment);

        using var response = await app.GetTestClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DetailsOnlyInDevelopment()
    {
        await using var production = await StartAppAsync("Production");
        await using var development = await StartAppAsync("Development");

        var plain = await production.GetTestClient().GetStringAsync("/health");
        var detailed = await development.GetTestClient().GetStringAsync("/health");

        Assert.Equal("Healthy", plain);
        Assert.Contains("\"database\"", detailed);
    }

    [Fact]
    public async Task AliveIgnoresChecksWithoutTheLiveTag()
    {
        await using var app = await StartAppAsync("Development", failingDatabase: true);
        var client = app.GetTestClient();

        using var health = await client.GetAsync("/health");
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private static async Task<WebApplication> StartAppAsync(string environment, bool failingDatabase = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        // Stands in for the database check that AddImsDatabase registers (untagged: readiness only).
        builder.Services.AddHealthChecks().AddCheck("database",
            () => failingDatabase ? HealthCheckResult.Unhealthy("down") : HealthCheckResult.Healthy());

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }
}
