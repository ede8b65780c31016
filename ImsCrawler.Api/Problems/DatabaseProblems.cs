using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ImsCrawler.Api.Problems;

/// <summary>
/// Database faults as HTTP answers. A transient fault that outlived the retry budget (the server restarting, down, or
/// every pooled connection busy) is a 503 with <c>Retry-After</c>, not a server bug. A value the database refused as data
/// (SQLSTATE class 22, or a program limit, 54000) that validation should have caught is a 400 naming PostgreSQL's
/// reason, logged as a validation gap so that it gets a proper check.
/// </summary>
public sealed class DatabaseProblems(IProblemDetailsService problems, ILogger<DatabaseProblems> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;
    public const string ValidationGapMessage = "A value reached the database that validation should have refused";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        switch (exception)
        {
            case NpgsqlException npgsql when DatabaseRetry.IsTransient(npgsql):
                logger.LogError(exception, "The database is unavailable; answering 503 after the retry budget");
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                problem = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "The database is unavailable",
                    Detail = $"The database did not answer within the retry budget; nothing was written. Retry in {RetryAfterSeconds} seconds.",
                };
                break;
            case PostgresException postgres when postgres.SqlState.StartsWith("22", StringComparison.Ordinal)
                                                  || postgres.SqlState == PostgresErrorCodes.ProgramLimitExceeded:
                logger.LogWarning(exception, "{Gap} ({SqlState}: {Message}) on {Method} {Path}", ValidationGapMessage,
                    postgres.SqlState, postgres.MessageText, httpContext.Request.Method, httpContext.Request.Path);
                problem = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The database refused a value of this request",
                    Detail = $"PostgreSQL refused a value: {postgres.MessageText}. Nothing was written.",
                };
                break;
            default:
                return false;
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext, ProblemDetails = problem, Exception = exception,
        });
    }
}
