using ImsCrawler.Api.Identity;

namespace ImsCrawler.Api.Problems;

/// <summary>
/// Query-string and route values that PostgreSQL cannot store (<c>?resourceId=%00</c>) are a 400 naming the parameter,
/// for every endpoint, before any handler or database sees them.
/// </summary>
public sealed class StorableRequestText(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext httpContext)
    {
        var errors = new RequestErrors();
        foreach (var (key, values) in httpContext.Request.Query)
        {
            var keyProblem = StorableText.Problem(key);
            var field = keyProblem is null ? key : "query";
            if (keyProblem is not null)
                errors.Add(field, $"A query parameter name {keyProblem}.");
            foreach (var value in values)
                if (StorableText.Problem(value) is { } problem)
                    errors.Add(field, $"{field} {problem}.");
        }
        foreach (var (key, value) in httpContext.Request.RouteValues)
            if (value is string text && StorableText.Problem(text) is { } problem)
                errors.Add(key, $"{key} {problem}.");
        if (!errors.Any)
        {
            await next(httpContext);
            return;
        }
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        var details = errors.ToDictionary();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new HttpValidationProblemDetails(details)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "A parameter holds text PostgreSQL cannot store; nothing was done.",
            },
        });
    }
}
