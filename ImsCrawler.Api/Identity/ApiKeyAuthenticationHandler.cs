using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Dapper;
using ImsCrawler.Api.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Registry;

namespace ImsCrawler.Api.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c>: finds the key by its SHA-256 through
/// <c>ims.authenticate_api_key</c> (the one thing the Api's login may do before it knows the user), rejects
/// revoked keys and inactive users, and yields the <see cref="ImsClaims"/>. The function touches
/// <c>last_used_at</c> at most once a minute per key.
/// Challenges (401) and forbids (403) with RFC 9457 problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
    ResiliencePipelineProvider<string> pipelines,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string MissingKey = "Send an API key as 'Authorization: Bearer <key>'.";
    private const string UnknownKey = "The API key is not valid.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail(MissingKey);
        var key = header["Bearer ".Length..].Trim();
        if (key.Length == 0 || key.Length > 200)
            return AuthenticateResult.Fail(UnknownKey);

        var hash = ApiKeys.Hash(key);
        var pipeline = pipelines.GetPipeline(DatabaseResilience.PipelineName);
        var found = await pipeline.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            return await connection.QuerySingleOrDefaultAsync<KeyOwner>(
                new CommandDefinition(LookupSql, new { hash }, cancellationToken: token));
        }, Context.RequestAborted);

        if (found is null)
            return AuthenticateResult.Fail(UnknownKey);
        if (found.Revoked)
            return AuthenticateResult.Fail("The API key has been revoked.");
        if (!found.IsActive)
            return AuthenticateResult.Fail("The API key's user is deactivated.");
        if (found.Role is not (DatabaseUser.Admin or DatabaseUser.User or DatabaseUser.ReadOnly))
            return AuthenticateResult.Fail("The API key's user has no valid role.");

        var identity = new ClaimsIdentity(
        [
            new Claim(ImsClaims.UserId, found.UserId.ToString(CultureInfo.InvariantCulture)),
            new Claim(ImsClaims.UserName, found.Username),
            new Claim(ImsClaims.Role, found.Role),
            new Claim(ImsClaims.KeyId, found.KeyId.ToString(CultureInfo.InvariantCulture)),
        ], SchemeName, ImsClaims.UserName, ImsClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null
            ? "Bearer realm=\"ims\""
            : "Bearer realm=\"ims\", error=\"invalid_token\"";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", result.Failure?.Message ?? MissingKey);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirst(ImsClaims.Role)?.Value ?? "unknown";
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden",
            $"The role '{role}' may not call this endpoint.");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (!await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }))
            await Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    // SECURITY DEFINER (sql/17): the Api's login has no table rights of its own before it knows the user.
    private const string LookupSql = """
        select key_id as KeyId, revoked as Revoked, user_id as UserId, username as Username, role as Role, is_active as IsActive
        from ims.authenticate_api_key(@hash)
        """;

    private sealed class KeyOwner
    {
        public long KeyId { get; set; }
        public bool Revoked { get; set; }
        public int UserId { get; set; }
        public string Username { get; set; } = "";
        public string Role { get; set; } = "";
        public bool IsActive { get; set; }
    }
}
