using Dapper;
using ImsCrawler.Api.Audit;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ImsCrawler.Api.Users;

/// <summary>
/// User and API-key administration (admins only). Deactivating a user also revokes all of its keys;
/// reactivating (PATCH isActive=true) does not restore them. Admins cannot deactivate or demote themselves.
/// </summary>
public static class UsersEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    private static readonly string[] Roles = [DatabaseUser.Admin, DatabaseUser.User, DatabaseUser.ReadOnly];

    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization(ImsPolicies.Admin);
        api.MapPost("/", CreateUser).WithName(nameof(CreateUser))
            .WithSummary("Create a user (admin)").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/", ListUsers).WithName(nameof(ListUsers))
            .WithSummary("List users, keyset-paged by user id (admin)");
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

        var caller = http.User.GetDatabaseUser();
        var user = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition($"""
                insert into ims.users (username, email, full_name, department, role, preferences)
                values (@Username, nullif(@Email, ''), nullif(@FullName, ''), nullif(@Department, ''),
                        coalesce(@Role, 'user'), coalesce(@preferences::jsonb, jsonb_build_object()))
                on conflict (username) do nothing
                returning {UserRow.Columns}
                """, new { request.Username, request.Email, request.FullName, request.Department, request.Role, preferences = Json.Raw(request.Preferences) },
                transaction, cancellationToken: token));
            if (row is not null)
                await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "user.created", "user",
                    row.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), row.ToResponse(), token);
            return row;
        }, cancellationToken);

        if (user is null)
            return Conflict($"A user named '{request.Username}' already exists.");
        return TypedResults.Created($"/api/users/{user.UserId}", user.ToResponse());
    }

    public static async Task<Results<Ok<UserPage>, ValidationProblem>> ListUsers(
        [AsParameters] ListUsersRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var limit = request.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"limit must be between 1 and {MaxLimit}."],
            });

        var rows = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
            (await connection.QueryAsync<UserRow>(new CommandDefinition($"""
                select {UserRow.Columns} from ims.users
                where user_id > coalesce(@AfterId, 0)
                order by user_id
                limit @limit
                """, new { request.AfterId, limit }, transaction, cancellationToken: token))).AsList(), cancellationToken);

        var items = rows.Select(row => row.ToResponse()).ToList();
        return TypedResults.Ok(new UserPage(items, items.Count == limit ? items[^1].UserId : null));
    }

    public static async Task<Results<Ok<UserResponse>, NotFound>> GetUser(
        int id, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var row = await database.RunAsync(http.User.GetDatabaseUser(),
            (connection, transaction, token) => FindUserAsync(connection, transaction, id, token), cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(row.ToResponse());
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

        var row = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var before = await FindUserAsync(connection, transaction, id, token, forUpdate: true);
            if (before is null)
                return null;
            var after = await connection.QuerySingleAsync<UserRow>(new CommandDefinition($"""
                update ims.users set
                    email = case when @Email::text is null then email else nullif(@Email, '') end,
                    full_name = case when @FullName::text is null then full_name else nullif(@FullName, '') end,
                    department = case when @Department::text is null then department else nullif(@Department, '') end,
                    role = coalesce(@Role, role),
                    preferences = coalesce(@preferences::jsonb, preferences),
                    is_active = coalesce(@IsActive, is_active)
                where user_id = @id
                returning {UserRow.Columns}
                """, new { id, request.Email, request.FullName, request.Department, request.Role, preferences = Json.Raw(request.Preferences), request.IsActive },
                transaction, cancellationToken: token));
            var revoked = request.IsActive == false ? await RevokeAllKeysAsync(connection, transaction, id, token) : 0;
            await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "user.updated", "user",
                id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { user = after.ToResponse(), revokedKeys = revoked },
                token, oldValue: before.ToResponse());
            return after;
        }, cancellationToken);

        return row is null ? TypedResults.NotFound() : TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Ok<UserResponse>, NotFound, ProblemHttpResult>> DeactivateUser(
        int id, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var caller = http.User.GetDatabaseUser();
        if (id == caller.UserId)
            return Conflict("Administrators cannot deactivate themselves; ask another administrator.");

        var row = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var after = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition($"""
                update ims.users set is_active = false where user_id = @id returning {UserRow.Columns}
                """, new { id }, transaction, cancellationToken: token));
            if (after is null)
                return null;
            var revoked = await RevokeAllKeysAsync(connection, transaction, id, token);
            await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "user.deactivated", "user",
                id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { revokedKeys = revoked }, token);
            return after;
        }, cancellationToken);

        return row is null ? TypedResults.NotFound() : TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Created<CreatedApiKeyResponse>, NotFound, ValidationProblem, ProblemHttpResult>> CreateApiKey(
        int id, CreateApiKeyRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        errors.Required("name", request.Name, 100);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var caller = http.User.GetDatabaseUser();
        var key = ApiKeys.Generate();
        var (found, created) = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var user = await FindUserAsync(connection, transaction, id, token, forUpdate: true);
            if (user is null || !user.IsActive)
                return (user, (ApiKeyRow?)null);
            var row = await connection.QuerySingleAsync<ApiKeyRow>(new CommandDefinition($"""
                insert into ims.api_keys (user_id, name, key_prefix, key_hash)
                values (@id, @name, @prefix, @hash)
                returning {ApiKeyRow.Columns}
                """, new { id, name = request.Name!.Trim(), prefix = ApiKeys.Prefix(key), hash = ApiKeys.Hash(key) },
                transaction, cancellationToken: token));
            await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "key.created", "api_key",
                row.KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture), row.ToResponse(), token);
            return (user, row);
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
        var keys = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
            await FindUserAsync(connection, transaction, id, token) is null
                ? null
                : await ListKeysAsync(connection, transaction, id, token), cancellationToken);
        return keys is null ? TypedResults.NotFound() : TypedResults.Ok(keys);
    }

    /// <summary>Revokes a key; revoking it again changes nothing (the first revocation time stays).</summary>
    public static async Task<Results<NoContent, NotFound>> RevokeApiKey(
        int id, long keyId, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var caller = http.User.GetDatabaseUser();
        var found = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var state = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition("""
                with target as (
                    select key_id, revoked_at from ims.api_keys where key_id = @keyId and user_id = @id for update
                ), revoked as (
                    update ims.api_keys k set revoked_at = now()
                    from target t where k.key_id = t.key_id and t.revoked_at is null
                    returning k.key_id
                )
                select exists (select 1 from revoked) from target
                """, new { id, keyId }, transaction, cancellationToken: token));
            if (state is true)
                await AuditLog.WriteAsync(connection, transaction, http, caller.UserId, "key.revoked", "api_key",
                    keyId.ToString(System.Globalization.CultureInfo.InvariantCulture), new { userId = id }, token);
            return state is not null;
        }, cancellationToken);
        return found ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>The caller's own profile and keys, for any role.</summary>
    public static async Task<Ok<MeResponse>> GetMe(HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var caller = http.User.GetDatabaseUser();
        var me = await database.RunAsync(caller, async (connection, transaction, token) =>
        {
            var user = await FindUserAsync(connection, transaction, caller.UserId, token)
                ?? throw new InvalidOperationException($"The authenticated user {caller.UserId} is not visible to itself.");
            return new MeResponse(user.ToResponse(), await ListKeysAsync(connection, transaction, caller.UserId, token));
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

    private static Task<UserRow?> FindUserAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int id,
        CancellationToken token, bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"select {UserRow.Columns} from ims.users where user_id = @id{(forUpdate ? " for update" : "")}",
            new { id }, transaction, cancellationToken: token));

    private static async Task<IReadOnlyList<ApiKeyResponse>> ListKeysAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, int userId, CancellationToken token) =>
        (await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            $"select {ApiKeyRow.Columns} from ims.api_keys where user_id = @userId order by key_id",
            new { userId }, transaction, cancellationToken: token)))
        .Select(row => row.ToResponse()).ToList();

    private static Task<int> RevokeAllKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int userId,
        CancellationToken token) =>
        connection.ExecuteAsync(new CommandDefinition(
            "update ims.api_keys set revoked_at = now() where user_id = @userId and revoked_at is null",
            new { userId }, transaction, cancellationToken: token));

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}
