using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ImsCrawler.Api.Status;

public static class StatusEndpoints
{
    public static RouteGroupBuilder MapStatusApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/status").WithTags("Status");
        api.MapGet("/", GetStatus).WithName(nameof(GetStatus))
            .WithSummary("Server version, database and applied migrations (no key needed)");
        return api;
    }

    public static async Task<Ok<StatusResponse>> GetStatus(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var server = await connection.QuerySingleAsync<ServerInfo>(new CommandDefinition(
            "select current_setting('server_version') as Version, current_database() as Database",
            cancellationToken: cancellationToken));
        var migrations = await connection.QuerySingleAsync<MigrationInfo>(new CommandDefinition(
            MigrationInfoSql, cancellationToken: cancellationToken));

        return TypedResults.Ok(new StatusResponse(
            server.Version, server.Database, (int)migrations.AppliedCount, migrations.LatestScript));
    }

    // The journal is written by ImsCrawler.Migrator and is not the Api's to read: a SECURITY DEFINER
    // function (sql/17) answers with the count and the latest script (0 and null before any migration).
    private const string MigrationInfoSql = """
        select applied_count as AppliedCount, latest_script as LatestScript from ims.migration_status()
        """;

    private sealed record ServerInfo(string Version, string Database);

    private sealed record MigrationInfo(long AppliedCount, string? LatestScript);
}

public sealed record StatusResponse(string ServerVersion, string Database, int AppliedMigrations, string? LatestScript);
