using System.Text.Json;
using ImsCrawler.Api.Identity;

namespace ImsCrawler.Api.Users;

public sealed record CreateUserRequest(
    string? Username, string? Email, string? FullName, string? Department, string? Role, JsonElement? Preferences);

/// <summary>Absent (or null) fields stay as they are; an empty string clears email, fullName or department.</summary>
public sealed record UpdateUserRequest(
    string? Email, string? FullName, string? Department, string? Role, JsonElement? Preferences, bool? IsActive);

/// <param name="AfterId">Keyset cursor: the <c>nextAfterId</c> of the previous page.</param>
public sealed record ListUsersRequest(int? AfterId, int? Limit);

public sealed record CreateApiKeyRequest(string? Name);

public sealed record UserResponse(
    int UserId, string Username, string? Email, string? FullName, string? Department, string Role, bool IsActive,
    JsonElement Preferences, DateTime? CreatedAt, DateTime? UpdatedAt, DateTime? LastLoginAt);

public sealed record UserPage(IReadOnlyList<UserResponse> Items, int? NextAfterId);

/// <summary>A key as lists show it: never the key itself nor its hash.</summary>
public sealed record ApiKeyResponse(
    long KeyId, int UserId, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A new key: <see cref="Key"/> is returned this once and stored only as a hash.</summary>
public sealed record CreatedApiKeyResponse(long KeyId, int UserId, string Name, string Prefix, string Key, DateTime CreatedAt);

public sealed record MeResponse(UserResponse User, IReadOnlyList<ApiKeyResponse> Keys);

internal sealed class UserRow
{
    public const string Columns = """
        user_id as UserId, username as Username, email as Email, full_name as FullName, department as Department,
        coalesce(role, 'user') as Role, coalesce(is_active, false) as IsActive,
        coalesce(preferences, '{}'::jsonb)::text as Preferences,
        created_at as CreatedAt, updated_at as UpdatedAt, last_login_at as LastLoginAt
        """;

    public int UserId { get; set; }
    public string Username { get; set; } = "";
    public string? Email { get; set; }
    public string? FullName { get; set; }
    public string? Department { get; set; }
    public string Role { get; set; } = "";
    public bool IsActive { get; set; }
    public string Preferences { get; set; } = "{}";
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public DateTime? LastLoginAt { get; set; }

    public UserResponse ToResponse() => new(UserId, Username, Email, FullName, Department, Role, IsActive,
        Json.Parse(Preferences) ?? default, CreatedAt, UpdatedAt, LastLoginAt);
}

internal sealed class ApiKeyRow
{
    public const string Columns = """
        key_id as KeyId, user_id as UserId, name as Name, key_prefix as Prefix,
        created_at as CreatedAt, last_used_at as LastUsedAt, revoked_at as RevokedAt
        """;

    public long KeyId { get; set; }
    public int UserId { get; set; }
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public ApiKeyResponse ToResponse() => new(KeyId, UserId, Name, Prefix, CreatedAt, LastUsedAt, RevokedAt);
}
