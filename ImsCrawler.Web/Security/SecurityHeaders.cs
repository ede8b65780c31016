namespace ImsCrawler.Web.Security;

/// <summary>
/// Headers on every response. The Content-Security-Policy allows scripts and styles from this site only (no
/// inline script or style, no eval), so text that slipped through as markup still could not run.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // Pages show people's data (and a new key once): never keep them in a shared or back-forward cache.
            if (http.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
