using System.Globalization;
using ImsCrawler.Api.Audit;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Users;

/// <summary>
/// User and API-key administration (admins only). Deactivating a user also revokes all of its keys;
/// reactivating (PATCH isActive=true) does not restore them. Admins cannot deactivate or demote themselves.
/// </summary>
public static class UsersEndpoints
{
    private static readonly Keyset Users = new("users");
    private static readonly string[] Roles = [DatabaseUser.Admin, DatabaseUser.User, DatabaseUser.ReadOnly];

    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization(ImsPolicies.Admin);
        api.MapPost("/", CreateUser).WithName(nameof(CreateUser))
            .WithSummary("Create a user (admin)").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/", ListUsers).WithName(nameof(ListUsers))
            .WithSummary("List users by user id (admin)")
            .WithDescription("Keyset-paged: pass `nextCursor` back as `cursor`; `limit` 1–200, default 50.")
            .ProducesValidationProblem();
        api.MapGet("/{id}", GetUser).WithName(nameof(GetUser))
            .WithSummary("Get one user (admin)");
        api.MapPatch("/{id}", UpdateUser).WithName(nameof(UpdateUser))
            .WithSummary("Change a user's profile, role or active flag (admin)").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/deactivate", DeactivateUser).WithName(nameof(DeactivateUser))
            .WithSummary("Deactivate a user and revoke all of its keys (admin)").ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/keys", CreateApiKey).WithName(nameof(CreateApiKey))
            .WithSummary("Create an API key for a user; the key is shown only in this response (admin)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id}/keys", ListApiKeys).WithName(nameof(ListApiKeys))
            .WithSummary("List a user's API keys, never their secrets (admin)");
        api.MapDelete("/{id}/keys/{keyId}", RevokeApiKey).WithName(nameof(RevokeApiKey))
            .WithSummary("Revoke an API key; revoking twice is a no-op (admin)");
        return api;
    }

    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/me").WithTags("Users").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", GetMe).WithName(nameof(GetMe))
            .WithSummary("The caller's own profile and keys");
        return api;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        errors.Required("username", request.Username, 100);
        if (request.Username is { } name && name != name.Trim())
            errors.Add("username", "username must not start or end with whitespace.");
        ValidateProfile(errors, request.Email, request.FullName, request.Department, request.Role, request.Preferences);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var user = await database.RunAsync(http.User.GetDatabaseUser(), async session =>
        {
            var created = await session.InsertUserAsync(request);
            if (created is not null)
                await session.WriteAuditAsync(http, "user.created", "user", Id(created.UserId), created);
            return created;
        }, cancellationToken);

        if (user is null)
            return Conflict($"A user named '{request.Username}' already exists.");
        return TypedResults.Created($"/api/users/{user.UserId}", user);
    }

    public static async Task<Results<Ok<Page<UserResponse>>, ValidationProblem>> ListUsers(
        [AsParameters] ListUsersRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var page = Users.Read(errors, request.Limit, request.Cursor);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var rows = await database.RunAsync(http.User.GetDatabaseUser(), session => session.ListUsersAsync(page), cancellationToken);
        return TypedResults.Ok(page.PageOf(rows, user => new CursorKey(user.UserId)));
    }

    public static async Task<Results<Ok<UserResponse>, NotFound>> GetUser(
        int id, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var user = await database.RunAsync(http.User.GetDatabaseUser(), session => session.FindUserAsync(id), cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user);
    }

    public static async Task<Results<Ok<UserResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateUser(
        int id, UpdateUserRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        ValidateProfile(errors, request.Email, request.FullName, request.Department, request.Role, request.Preferences);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var caller = http.User.GetDatabaseUser();
        if (id == caller.UserId && (request.IsActive == false || request.Role is not (null or DatabaseUser.Admin)))
            return Conflict("Administrators cannot deactivate or demote themselves; ask another administrator.");

        var user = await database.RunAsync(caller, async session =>
        {
            if (await session.FindUserAsync(id, forUpdate: true) is not { } before)
                return null;
            var after = await session.UpdateUserAsync(id, request);
            var revoked = request.IsActive == false ? await session.RevokeAllKeysAsync(id) : 0;
            await session.WriteAuditAsync(http, "user.updated", "user", Id(id), new { user = after, revokedKeys = revoked },
                oldValue: before);
            return after;
        }, cancellationToken);

        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user);
    }

    public static async Task<Results<Ok<UserResponse>, NotFound, ProblemHttpResult>> DeactivateUser(
        int id, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var caller = http.User.GetDatabaseUser();
        if (id == caller.UserId)
            return Conflict("Administrators cannot deactivate themselves; ask another administrator.");

        var user = await database.RunAsync(caller, async session =>
        {
            if (await session.DeactivateUserAsync(id) is not { } after)
                return null;
            var revoked = await session.RevokeAllKeysAsync(id);
            await session.WriteAuditAsync(http, "user.deactivated", "user", Id(id), new { revokedKeys = revoked });
            return after;
        }, cancellationToken);

        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user);
    }

    public static async Task<Results<Created<CreatedApiKeyResponse>, NotFound, ValidationProblem, ProblemHttpResult>> CreateApiKey(
        int id, CreateApiKeyRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        errors.Required("name", request.Name, 100);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var key = ApiKeys.Generate();
        var (found, created) = await database.RunAsync(http.User.GetDatabaseUser(), async session =>
        {
            var user = await session.FindUserAsync(id, forUpdate: true);
            if (user is null || !user.IsActive)
                return (user, (ApiKeyResponse?)null);
            var stored = await session.InsertKeyAsync(id, request.Name!.Trim(), ApiKeys.Prefix(key), ApiKeys.Hash(key));
            await session.WriteAuditAsync(http, "key.created", "api_key", Id(stored.KeyId), stored);
            return (user, stored);
        }, cancellationToken);

        if (found is null)
            return TypedResults.NotFound();
        if (created is null)
            return Conflict($"User {id} is deactivated; reactivate it before creating keys.");
        return TypedResults.Created($"/api/users/{id}/keys",
            new CreatedApiKeyResponse(created.KeyId, created.UserId, created.Name, created.Prefix, key, created.CreatedAt));
    }

    public static async Task<Results<Ok<IReadOnlyList<ApiKeyResponse>>, NotFound>> ListApiKeys(
        int id, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var keys = await database.RunAsync(http.User.GetDatabaseUser(), async session =>
            await session.FindUserAsync(id) is null ? null : await session.ListKeysAsync(id), cancellationToken);
        return keys is null ? TypedResults.NotFound() : TypedResults.Ok(keys);
    }

    /// <summary>Revokes a key; revoking it again changes nothing (the first revocation time stays).</summary>
    public static async Task<Results<NoContent, NotFound>> RevokeApiKey(
        int id, long keyId, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var found = await database.RunAsync(http.User.GetDatabaseUser(), async session =>
        {
            var revoked = await session.RevokeKeyAsync(id, keyId);
            if (revoked is true)
                await session.WriteAuditAsync(http, "key.revoked", "api_key", Id(keyId), new { userId = id });
            return revoked is not null;
        }, cancellationToken);
        return found ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>The caller's own profile and keys, for any role.</summary>
    public static async Task<Ok<MeResponse>> GetMe(HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var caller = http.User.GetDatabaseUser();
        var me = await database.RunAsync(caller, async session =>
        {
            var user = await session.FindUserAsync(caller.UserId)
                ?? throw new InvalidOperationException($"The authenticated user {caller.UserId} is not visible to itself.");
            return new MeResponse(user, await session.ListKeysAsync(caller.UserId));
        }, cancellationToken);
        return TypedResults.Ok(me);
    }

    private static void ValidateProfile(RequestErrors errors, string? email, string? fullName, string? department,
        string? role, System.Text.Json.JsonElement? preferences)
    {
        errors.MaxLength("email", email, 255);
        if (email is { Length: > 0 } && (!email.Contains('@', StringComparison.Ordinal) || email.Trim() != email))
            errors.Add("email", "email must be an address like name@example.com.");
        errors.MaxLength("fullName", fullName, 200);
        errors.MaxLength("department", department, 100);
        errors.OneOf("role", role, Roles);
        errors.JsonObject("preferences", preferences);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}
