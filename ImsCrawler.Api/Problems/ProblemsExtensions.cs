using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace ImsCrawler.Api.Problems;

/// <summary>
/// The error contract (docs/api.md): every 4xx and 5xx answer is an RFC 9457 problem with <c>status</c>, <c>title</c>
/// and <c>detail</c>, alike in every hosting environment.
/// </summary>
public static class ProblemsExtensions
{
    public static IServiceCollection AddImsProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Complete);
        // Minimal APIs throw BadHttpRequestException for what they cannot bind only in Development by default (and answer
        // with an empty body elsewhere); throwing everywhere gives one path, BadRequestProblems, in every environment.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblems>();
        services.AddExceptionHandler<DatabaseProblems>();
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new StorableStringConverter());
            options.SerializerOptions.Converters.Add(new StorableJsonElementConverter());
        });
        return services;
    }

    /// <summary>Exceptions and empty error answers become problems; unstorable query and route text is refused.</summary>
    public static IApplicationBuilder UseImsProblems(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<StorableRequestText>();
        return app;
    }

    /// <summary>Fills what a problem leaves out: the title of its status and a detail saying what happened.</summary>
    private static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        problem.Detail ??= DetailFor(status, problem, http);
    }

    private static string DetailFor(int status, ProblemDetails problem, HttpContext http)
    {
        var target = $"{http.Request.Method} {http.Request.Path}";
        return status switch
        {
            StatusCodes.Status400BadRequest when problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation =>
                $"Not valid: {string.Join("; ", validation.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}",
            StatusCodes.Status400BadRequest => $"{target}: the request is not valid.",
            StatusCodes.Status401Unauthorized => "Send a valid API key as 'Authorization: Bearer <key>'.",
            StatusCodes.Status403Forbidden => "The API key's role may not do this.",
            StatusCodes.Status404NotFound when http.GetEndpoint() is null => $"No endpoint answers {target}.",
            StatusCodes.Status404NotFound => $"{http.Request.Path} does not exist, or it is not visible to you.",
            StatusCodes.Status405MethodNotAllowed =>
                $"{http.Request.Method} is not allowed on {http.Request.Path}; allowed: {http.Response.Headers.Allow}.",
            StatusCodes.Status409Conflict => $"{target} conflicts with the current state.",
            StatusCodes.Status413PayloadTooLarge => "The request body is larger than the server accepts.",
            StatusCodes.Status415UnsupportedMediaType => $"{target} does not accept the content type '{http.Request.ContentType}'; send application/json.",
            StatusCodes.Status503ServiceUnavailable => "The service is unavailable; retry later.",
            >= 500 => "An unexpected error occurred; nothing is known to be written. The traceId names it in the server's log.",
            _ => $"{ReasonPhrases.GetReasonPhrase(status)}: {target}.",
        };
    }
}
