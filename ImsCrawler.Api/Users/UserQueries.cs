using ImsCrawler.Api.Data;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Users;

/// <summary>The SQL of users and their API keys (administrators; the users' own profile and keys for <c>/api/me</c>).</summary>
public static class UserQueries
{
    // A user as UserResponse reads it, in the order of its constructor.
    private const string Columns = """
        user_id, username, email, full_name, department, coalesce(role, 'user') as role, coalesce(is_active, false) as is_active,
        coalesce(preferences, '{}'::jsonb) as preferences, created_at, updated_at, last_login_at
        """;

    // A key as ApiKeyResponse reads it, in the order of its constructor: never the key or its hash.
    private const string KeyColumns = "key_id, user_id, name, key_prefix as prefix, created_at, last_used_at, revoked_at";

    private const string InsertSql = $"""
        insert into ims.users (username, email, full_name, department, role, preferences)
        values (@username, nullif(@email, ''), nullif(@fullName, ''), nullif(@department, ''),
                coalesce(@role, 'user'), coalesce(@preferences::jsonb, jsonb_build_object()))
        on conflict (username) do nothing
        returning {Columns}
        """;

    private static readonly string ListSql = $"""
        select {Columns} from ims.users
        where {SqlFilter.After("user_id")}
        order by user_id
        limit @take
        """;

    // An absent (null) field stays; "" clears a text field.
    private const string UpdateSql = $"""
        update ims.users set
            email = case when @email::text is null then email else nullif(@email, '') end,
            full_name = case when @fullName::text is null then full_name else nullif(@fullName, '') end,
            department = case when @department::text is null then department else nullif(@department, '') end,
            role = coalesce(@role, role),
            preferences = coalesce(@preferences::jsonb, preferences),
            is_active = coalesce(@isActive, is_active)
        where user_id = @id
        returning {Columns}
        """;

    private const string InsertKeySql = $"""
        insert into ims.api_keys (user_id, name, key_prefix, key_hash)
        values (@id, @name, @prefix, @hash)
        returning {KeyColumns}
        """;

    // Whether the key exists (null: no) and whether this call revoked it; a revoked key keeps its first revocation time.
    private const string RevokeKeySql = """
        with target as (
            select key_id, revoked_at from ims.api_keys where key_id = @keyId and user_id = @id for update
        ), revoked as (
            update ims.api_keys k set revoked_at = now()
            from target t where k.key_id = t.key_id and t.revoked_at is null
            returning k.key_id
        )
        select exists (select 1 from revoked) from target
        """;

    /// <summary>Creates the user; null when the username is taken.</summary>
    public static Task<UserResponse?> InsertUserAsync(this UserSession session, CreateUserRequest request) =>
        session.QuerySingleOrDefaultAsync<UserResponse>(InsertSql, new
        {
            username = request.Username, email = request.Email, fullName = request.FullName, department = request.Department,
            role = request.Role, preferences = request.Preferences,
        });

    /// <summary>A page of users by id.</summary>
    public static Task<IReadOnlyList<UserResponse>> ListUsersAsync(this UserSession session, PageRequest page) =>
        session.QueryAsync<UserResponse>(ListSql, new { after = page.AfterId, take = page.Take });

    public static Task<UserResponse?> FindUserAsync(this UserSession session, int id, bool forUpdate = false) =>
        session.QuerySingleOrDefaultAsync<UserResponse>(
            $"select {Columns} from ims.users where user_id = @id{(forUpdate ? " for update" : "")}", new { id });

    public static Task<UserResponse> UpdateUserAsync(this UserSession session, int id, UpdateUserRequest request) =>
        session.QuerySingleAsync<UserResponse>(UpdateSql, new
        {
            id, email = request.Email, fullName = request.FullName, department = request.Department, role = request.Role,
            preferences = request.Preferences, isActive = request.IsActive,
        });

    /// <summary>Deactivates the user; null when there is none.</summary>
    public static Task<UserResponse?> DeactivateUserAsync(this UserSession session, int id) =>
        session.QuerySingleOrDefaultAsync<UserResponse>(
            $"update ims.users set is_active = false where user_id = @id returning {Columns}", new { id });

    /// <summary>Revokes every key of the user still active; how many.</summary>
    public static Task<int> RevokeAllKeysAsync(this UserSession session, int userId) =>
        session.ExecuteAsync("update ims.api_keys set revoked_at = now() where user_id = @userId and revoked_at is null", new { userId });

    /// <summary>Stores a new key of user <paramref name="id"/> as its prefix and hash.</summary>
    public static Task<ApiKeyResponse> InsertKeyAsync(this UserSession session, int id, string name, string prefix, byte[] hash) =>
        session.QuerySingleAsync<ApiKeyResponse>(InsertKeySql, new { id, name, prefix, hash });

    public static Task<IReadOnlyList<ApiKeyResponse>> ListKeysAsync(this UserSession session, int userId) =>
        session.QueryAsync<ApiKeyResponse>($"select {KeyColumns} from ims.api_keys where user_id = @userId order by key_id", new { userId });

    /// <summary>Revokes key <paramref name="keyId"/> of user <paramref name="id"/>: null when there is no such key, else whether this call revoked it.</summary>
    public static Task<bool?> RevokeKeyAsync(this UserSession session, int id, long keyId) =>
        session.QuerySingleOrDefaultAsync<bool?>(RevokeKeySql, new { id, keyId });
}
