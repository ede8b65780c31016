using System.Globalization;
using System.Security.Claims;
using ImsCrawler.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace ImsCrawler.Web.Account;

public enum SignInOutcome
{
    SignedIn,
    KeyRefused,
    ApiUnreachable,
}

/// <summary>Signs a person in with their API key: the Api must accept it on <c>GET /api/me</c>.</summary>
public sealed class SignInManager(ImsApiClient api, TimeProvider clock)
{
    private const string CheckedAt = "ims:checked_at";

    public async Task<SignInOutcome> SignInAsync(HttpContext http, string apiKey, CancellationToken cancellationToken)
    {
        var me = await api.CheckKeyAsync(apiKey.Trim(), cancellationToken);
        if (me is null)
            return SignInOutcome.KeyRefused;
        if (!me.IsSuccess)
            return me.Problem!.IsUnreachable ? SignInOutcome.ApiUnreachable : SignInOutcome.KeyRefused;

        var properties = new AuthenticationProperties { IsPersistent = true };
        properties.Items[CheckedAt] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(me.Value!.User, apiKey.Trim()), properties);
        return SignInOutcome.SignedIn;
    }

    /// <summary>
    /// Cookie validation: every <see cref="WebOptions.RevalidateAfter"/> the session's key is shown to the Api again.
    /// A refused key (revoked, user deactivated) ends the session; a changed role or name is taken over.
    /// When the Api cannot be reached the session stays as it is.
    /// </summary>
    public static async Task RevalidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var clock = services.GetRequiredService<TimeProvider>();
        var every = services.GetRequiredService<IOptions<WebOptions>>().Value.RevalidateAfter;
        if (context.Properties.Items.TryGetValue(CheckedAt, out var value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var checkedAt)
            && clock.GetUtcNow() - checkedAt < every)
            return;

        var key = context.Principal?.FindFirstValue(WebClaims.ApiKey);
        var me = key is null ? null : await services.GetRequiredService<ImsApiClient>().CheckKeyAsync(key, context.HttpContext.RequestAborted);
        if (me is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        if (!me.IsSuccess)
            return;
        context.ReplacePrincipal(Principal(me.Value!.User, key!));
        context.Properties.Items[CheckedAt] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    private static ClaimsPrincipal Principal(UserInfo user, string apiKey) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.UserId.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, user.Username),
        new Claim(ClaimTypes.Role, user.Role),
        new Claim(WebClaims.FullName, user.FullName ?? ""),
        new Claim(WebClaims.ApiKey, apiKey),
    ], CookieAuthenticationDefaults.AuthenticationScheme));
}
