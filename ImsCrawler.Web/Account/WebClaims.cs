using System.Globalization;
using System.Security.Claims;

namespace ImsCrawler.Web.Account;

/// <summary>Claims of a signed-in person. They live in the server-side session (<see cref="FileTicketStore"/>).</summary>
public static class WebClaims
{
    public const string ApiKey = "ims:api_key";
    public const string FullName = "ims:full_name";
    public const string AdminRole = "admin";
    public const string ReadOnlyRole = "readonly";

    public static int UserId(this ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", CultureInfo.InvariantCulture);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(FullName) is { Length: > 0 } name ? name : user.Identity?.Name ?? "";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    /// <summary>Admins and users may write (crawl, delete their sessions); readonly users only read.</summary>
    public static bool CanWrite(this ClaimsPrincipal user) => !user.IsInRole(ReadOnlyRole);
}
