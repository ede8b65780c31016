using System.Security.Claims;
using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Identity;

/// <summary>The claims the API-key handler puts on an authenticated request, and how to read them.</summary>
public static class ImsClaims
{
    public const string UserId = "ims:user_id";
    public const string UserName = ClaimTypes.Name;
    public const string Role = ClaimTypes.Role;

    /// <summary>The api_keys.key_id the request authenticated with.</summary>
    public const string KeyId = "ims:key_id";

    public static DatabaseUser GetDatabaseUser(this ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(UserId)
            ?? throw new InvalidOperationException("The request is not authenticated with an API key.");
        var role = principal.FindFirstValue(Role)
            ?? throw new InvalidOperationException("The authenticated user has no role.");
        return new DatabaseUser(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture), role);
    }

    public static int GetUserId(this ClaimsPrincipal principal) => principal.GetDatabaseUser().UserId;
}

/// <summary>Authorization policy names: who may call an endpoint.</summary>
public static class ImsPolicies
{
    /// <summary>Any active user with a valid key (admin, user, readonly).</summary>
    public const string Reader = "ims-reader";

    /// <summary>Users that write their own data: admin and user (not readonly).</summary>
    public const string Writer = "ims-writer";

    /// <summary>Administrators only.</summary>
    public const string Admin = "ims-admin";
}
