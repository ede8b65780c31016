using ImsCrawler.Api.Analytics;
using ImsCrawler.Api.Audit;
using ImsCrawler.Api.Backups;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Import;
using ImsCrawler.Api.Ingest;
using ImsCrawler.Api.Jobs;
using ImsCrawler.Api.Issues;
using ImsCrawler.Api.Monitoring;
using ImsCrawler.Api.OpenApi;
using ImsCrawler.Api.Problems;
using ImsCrawler.Api.Search;
using ImsCrawler.Api.Sessions;
using ImsCrawler.Api.Status;
using ImsCrawler.Api.Users;

// `import <folder> --user <name> ...` loads a crawler's session folder and exits; no web host.
if (args is ["import", ..])
{
    Environment.ExitCode = await ImportCommand.RunAsync(args[1..]);
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddImsDatabase();
builder.Services.AddImsProblems();
builder.Services.AddUserDatabase();
builder.AddReadReplica();
builder.AddImsIdentity();
builder.Services.AddIngest(builder.Configuration);
builder.Services.AddSingleton<SearchTelemetry>();
builder.Services.AddSingleton<SearchRecorder>();
builder.Services.AddHostedService(services => services.GetRequiredService<SearchRecorder>());
builder.Services.AddImsOpenApi();

var app = builder.Build();
app.UseRequestLog();
app.UseImsProblems();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapStatusApi();
app.MapUsersApi();
app.MapMeApi();
app.MapSessionsApi();
app.MapAuditApi();
app.MapIngestApi();
app.MapJobsApi();
app.MapBackupsApi();
app.MapSearchApi();
app.MapIssuesApi();
app.MapDashboardApi();
app.MapAnalyticsApi();
app.MapMonitoringApi();
app.MapImsOpenApi();

app.Run();

public partial class Program;

namespace ImsCrawler.Api
{
    /// <summary>
    /// Names this assembly for <c>WebApplicationFactory&lt;ApiEntryPoint&gt;</c> in tests, where the global
    /// <c>Program</c> is ambiguous (the Migrator, which the test support references, has one too).
    /// </summary>
    public sealed class ApiEntryPoint;
}
