using ImsCrawler.Shared.Jobs;
using Npgsql;

namespace ImsCrawler.AppHost.Jobs;

/// <summary>
/// Dashboard commands on the jobs resource ("Run daily aggregation now", ...). Each inserts a run-now
/// request into ims.job_requests, whose trigger notifies the jobs service (see docs/jobs.md); the run
/// then shows in the jobs resource's logs and traces and in GET /api/jobs.
/// </summary>
public static class JobCommands
{
    // Dashboard icons (Fluent UI names); the jobs themselves come from the shared catalog.
    private static readonly Dictionary<string, string> Icons = new(StringComparer.Ordinal)
    {
        [JobNames.DailyAggregation] = "CalendarDay",
        [JobNames.MonthlyAggregation] = "CalendarMonth",
        [JobNames.RefreshViews] = "ArrowSync",
        [JobNames.Retention] = "Delete",
        [JobNames.Vacuum] = "Broom",
        [JobNames.Backup] = "Save",
    };

    public static IResourceBuilder<ProjectResource> WithJobCommands(this IResourceBuilder<ProjectResource> jobs,
        IResourceBuilder<IResourceWithConnectionString> database)
    {
        foreach (var definition in JobDefinitions.All)
        {
            var job = definition.Name;
            jobs.WithCommand($"run-{job}", $"Run {definition.Title} now", context => RequestAsync(database.Resource, job, context), new CommandOptions
            {
                Description = $"Asks the jobs service to run {job} now ({definition.Description}; default period: yesterday, last month or now).",
                IconName = Icons.GetValueOrDefault(job, "Play"),
                UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
        }
        return jobs;
    }

    private static async Task<ExecuteCommandResult> RequestAsync(IResourceWithConnectionString database, string job,
        ExecuteCommandContext context)
    {
        try
        {
            var connectionString = await database.GetConnectionStringAsync(context.CancellationToken)
                ?? throw new InvalidOperationException("The database has no connection string yet.");
            // Not pooled: a pooled idle connection would make PostgreSQL's shutdown wait for it.
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(context.CancellationToken);
            await using var command = new NpgsqlCommand(
                "insert into ims.job_requests (job_name, requested_by) values ($1, 'aspire-dashboard') returning request_id", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = job });
            var requestId = (long)(await command.ExecuteScalarAsync(context.CancellationToken))!;
            return CommandResults.Success($"Requested {job} (request {requestId}).");
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            return CommandResults.Failure($"Could not request {job}: {exception.Message}");
        }
    }
}
