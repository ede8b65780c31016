using System.Security.Claims;
using ImsCrawler.Api.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Ingest;

/// <summary>
/// <c>POST /api/sessions/{sessionUuid}/issues</c>: a batch of crawled issues (JSON array or NDJSON)
/// into one of the caller's running sessions, atomically and idempotently.
/// </summary>
public static class IngestEndpoints
{
    public static RouteGroupBuilder MapIngestApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/sessions").WithTags("Ingest");
        api.MapPost("/{sessionUuid}/issues", IngestIssues)
            .WithName(nameof(IngestIssues))
            .WithSummary("Ingest a batch of crawled issues into a running session")
            .Accepts<IReadOnlyList<object>>("application/json", "application/x-ndjson")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(ImsPolicies.Writer);
        return api;
    }

    public static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult>> IngestIssues(
        string sessionUuid, HttpRequest request, ClaimsPrincipal user, IngestService ingest, CancellationToken cancellationToken)
    {
        var options = ingest.Options;
        if (CrawledIssueReader.FormatOf(request.ContentType) is not { } format)
            return TypedResults.Problem(
                detail: $"Send the batch as application/json (an array of crawled issues) or application/x-ndjson (one issue per line), not '{request.ContentType}'.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        if (request.ContentLength > options.MaxBytes)
            return TooLarge($"The batch is {request.ContentLength} bytes; at most {options.MaxBytes} are accepted per request (Ingest:MaxBytes).");

        // The limit is ours (Ingest:MaxBytes), answered as ProblemDetails, not the server's default.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = null;

        using var body = await CrawledIssueReader.ReadAsync(request.Body, format, options, cancellationToken);
        switch (body.Failure)
        {
            case CrawledIssueReader.Failure.TooLarge:
            case CrawledIssueReader.Failure.TooManyItems:
                return TooLarge(body.Detail!);
            case CrawledIssueReader.Failure.Malformed:
                return TypedResults.ValidationProblem(body.Errors, title: "The batch could not be read (malformed JSON, or text or numbers PostgreSQL cannot store); nothing was written.");
        }

        var mapped = ingest.CreateMapper().Map(body.Items);
        if (!mapped.IsValid)
            return TypedResults.ValidationProblem(mapped.ErrorDictionary(),
                title: "Some crawled issues were rejected; nothing was written.");

        var outcome = await ingest.IngestAsync(user.GetDatabaseUser(), sessionUuid, mapped.Batch, cancellationToken);
        return outcome.Status switch
        {
            IngestStatus.SessionNotFound => TypedResults.Problem(
                detail: $"No session '{sessionUuid}' of yours exists.", statusCode: StatusCodes.Status404NotFound,
                title: "Session not found"),
            IngestStatus.SessionNotRunning => TypedResults.Problem(
                detail: $"Session '{sessionUuid}' is {outcome.SessionStatus}; issues can only be added to a running session.",
                statusCode: StatusCodes.Status409Conflict, title: "Session is not running"),
            _ => TypedResults.Ok(new IngestResponse(sessionUuid, body.Items.Count, mapped.SkippedItems.Count, outcome.Counts!,
                mapped.Batch.Warnings)),
        };
    }

    private static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Batch too large");
}
