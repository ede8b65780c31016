using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Backups;

/// <summary>The backup files the Jobs service's backup job wrote (admins only); see docs/jobs.md for restoring one.</summary>
public static class BackupsEndpoints
{
    public static RouteGroupBuilder MapBackupsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/backups").WithTags("Backups").RequireAuthorization(ImsPolicies.Admin);
        api.MapGet("/", ListBackups).WithName(nameof(ListBackups))
            .WithSummary("Backup files the backup job wrote and retention has not removed, newest first (admin)");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<BackupResponse>>> ListBackups(HttpContext http, UserDatabase database,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await database.RunAsync(http.User.GetDatabaseUser(), session => session.ListBackupsAsync(), cancellationToken));
}

public sealed record BackupResponse(string Name, long SizeBytes, DateTimeOffset CreatedAt, string? ServerVersion);
