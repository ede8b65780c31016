using ImsCrawler.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using ImsCrawler.Web.Localization;
using Microsoft.AspNetCore.Localization;

namespace ImsCrawler.Web.Account;

/// <summary>Sign-out and the language switch: plain POSTs (antiforgery-checked) that redirect back.</summary>
public static class AccountEndpoints
{
    public const string SignInPath = "/signin";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/signout", SignOutAsync).DisableAntiforgery();
        routes.MapPost("/culture", SetCultureAsync).DisableAntiforgery();
        return routes;
    }

    // Antiforgery is checked by hand: these endpoints bind no form model, so the middleware's result would go unread.
    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.BadRequest();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect($"{SignInPath}?signedOut=true");
    }

    private static async Task<IResult> SetCultureAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.BadRequest();
        var form = await http.Request.ReadFormAsync();
        var culture = Cultures.Supported.Contains(form["culture"].ToString()) ? form["culture"].ToString() : Cultures.Default;
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true, Secure = http.Request.IsHttps });
        return Results.LocalRedirect(LocalUrl(form["returnUrl"]));
    }

    /// <summary>A return address of this site only (no open redirect).</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";

    /// <summary>
    /// An Api call refused the session's key (revoked or deactivated since sign-in): end the session and send the
    /// person to the sign-in page with a message, instead of an error page.
    /// </summary>
    public static IApplicationBuilder UseSignOutOnRejectedKey(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (ApiKeyRejectedException) when (!http.Response.HasStarted)
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            http.Response.Clear();
            http.Response.Redirect($"{SignInPath}?expired=true");
        }
    });
}
