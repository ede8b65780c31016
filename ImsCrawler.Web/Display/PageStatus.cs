using Microsoft.AspNetCore.Diagnostics;

namespace ImsCrawler.Web.Display;

public static class PageStatus
{
    /// <summary>
    /// Answers with <paramref name="statusCode"/> and the page's own explanation (a 400 with the Api's messages, a
    /// 503 saying the Api is down), instead of the generic page the status-code middleware would put in. A 404 is
    /// the exception: Blazor writes no body for a 404 page, so the generic "not found" page (/error/404) answers.
    /// </summary>
    public static void RespondWith(this HttpContext http, int statusCode)
    {
        http.Response.StatusCode = statusCode;
        if (statusCode != StatusCodes.Status404NotFound && http.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            statusCodePages.Enabled = false;
    }
}
