using System.Net.Http.Headers;
using ImsCrawler.Web.Account;

namespace ImsCrawler.Web.Api;

/// <summary>
/// Sends the signed-in person's API key (held in their server-side session, never in the browser) as
/// <c>Authorization: Bearer</c> on every Api call that does not carry one already (sign-in checks a typed key).
/// </summary>
public sealed class ApiKeyHandler(IHttpContextAccessor httpContextAccessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null
            && httpContextAccessor.HttpContext?.User.FindFirst(WebClaims.ApiKey)?.Value is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
