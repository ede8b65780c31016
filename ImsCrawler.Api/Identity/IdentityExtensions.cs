using ImsCrawler.Api.Data;
using Microsoft.AspNetCore.Authentication;

namespace ImsCrawler.Api.Identity;

public static class IdentityExtensions
{
    /// <summary>
    /// API-key authentication (scheme <see cref="ApiKeyAuthenticationHandler.SchemeName"/>), the
    /// <see cref="ImsPolicies"/>, and the start-up admin key (<see cref="BootstrapAdminKey"/>).
    /// </summary>
    public static IHostApplicationBuilder AddImsIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ImsPolicies.Reader, policy => policy.RequireRole(DatabaseUser.Admin, DatabaseUser.User, DatabaseUser.ReadOnly))
            .AddPolicy(ImsPolicies.Writer, policy => policy.RequireRole(DatabaseUser.Admin, DatabaseUser.User))
            .AddPolicy(ImsPolicies.Admin, policy => policy.RequireRole(DatabaseUser.Admin));
        builder.Services.AddHostedService<BootstrapAdminKey>();
        return builder;
    }
}
