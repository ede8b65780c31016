using System.Security.Claims;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Monitoring;

/// <summary>
/// Database health for administrators: size, version, uptime, tables, indexes, connections, slow queries,
/// RLS policies and the migration journal. They run as the calling administrator (ims_admin), like every
/// other request: the Api's own login sees nothing.
/// </summary>
public static class MonitoringEndpoints
{
    public static RouteGroupBuilder MapMonitoringApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/admin").WithTags("Monitoring").RequireAuthorization(ImsPolicies.Admin);
        api.MapGet("/database", GetDatabaseInfo).WithName(nameof(GetDatabaseInfo))
            .WithSummary("Database size, server version and uptime");
        api.MapGet("/tables", ListTables).WithName(nameof(ListTables))
            .WithSummary("Sizes, row estimates and maintenance times of the ims tables and materialized views");
        api.MapGet("/indexes", ListIndexes).WithName(nameof(ListIndexes))
            .WithSummary("Usage and size of the ims indexes");
        api.MapGet("/connections", ListConnections).WithName(nameof(ListConnections))
            .WithSummary("Connections to this database (pg_stat_activity)");
        api.MapGet("/slow-queries", ListSlowQueries).WithName(nameof(ListSlowQueries))
            .WithSummary("Slowest statements by mean time (pg_stat_statements)")
            .WithDescription("When pg_stat_statements is not installed or not loaded, answers 200 with `available: false` and how to enable it.")
            .ProducesValidationProblem();
        api.MapGet("/policies", ListPolicies).WithName(nameof(ListPolicies))
            .WithSummary("Row-level security policies of the ims schema");
        api.MapGet("/migrations", ListMigrations).WithName(nameof(ListMigrations))
            .WithSummary("Applied migration scripts (migrator.applied_scripts)");
        return api;
    }

    public static async Task<Ok<DatabaseInfo>> GetDatabaseInfo(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await database.RunAsync(user.GetDatabaseUser(), session => session.GetDatabaseInfoAsync(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<TableInfo>>> ListTables(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await database.RunAsync(user.GetDatabaseUser(), session => session.ListTablesAsync(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<IndexInfo>>> ListIndexes(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await database.RunAsync(user.GetDatabaseUser(), session => session.ListIndexesAsync(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<ConnectionInfo>>> ListConnections(UserDatabase database, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await database.RunAsync(user.GetDatabaseUser(), session => session.ListConnectionsAsync(), cancellationToken));

    public static async Task<Results<Ok<SlowQueriesResponse>, ValidationProblem>> ListSlowQueries(
        [AsParameters] SlowQueriesRequest request, UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var limit = QueryParameters.Limit(errors, request.Limit, 20, 100);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        const string howTo = "Set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf, restart the server, "
                             + "then run CREATE EXTENSION pg_stat_statements; in this database (as a superuser or the database owner).";
        var (statements, unreadable) = await database.RunAsync(user.GetDatabaseUser(), session => session.ListSlowQueriesAsync(limit),
            cancellationToken);
        return TypedResults.Ok(statements switch
        {
            null => new SlowQueriesResponse(false, "The pg_stat_statements extension is not installed in this database. " + howTo, []),
            _ when unreadable is not null => new SlowQueriesResponse(false, $"pg_stat_statements cannot be read: {unreadable} {howTo}", []),
            _ => new SlowQueriesResponse(true, null, statements),
        });
    }

    public static async Task<Ok<IReadOnlyList<PolicyInfo>>> ListPolicies(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await database.RunAsync(user.GetDatabaseUser(), session => session.ListPoliciesAsync(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<MigrationInfo>>> ListMigrations(UserDatabase database, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await database.RunAsync(user.GetDatabaseUser(), session => session.ListMigrationsAsync(), cancellationToken));
}
