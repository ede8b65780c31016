using System.ComponentModel;
using System.Text.Json;
using ImsCrawler.Api.Paging;

namespace ImsCrawler.Api.Users;

public sealed record CreateUserRequest(
    string? Username, string? Email, string? FullName, string? Department, string? Role, JsonElement? Preferences);

/// <summary>Absent (or null) fields stay as they are; an empty string clears email, fullName or department.</summary>
public sealed record UpdateUserRequest(
    string? Email, string? FullName, string? Department, string? Role, JsonElement? Preferences, bool? IsActive);

public sealed record ListUsersRequest(
    [property: Description(Keyset.CursorDescription)] string? Cursor,
    [property: Description("Users per page, 1–200, default 50.")] int? Limit);

public sealed record CreateApiKeyRequest(string? Name);

public sealed record UserResponse(
    int UserId, string Username, string? Email, string? FullName, string? Department, string Role, bool IsActive,
    JsonElement Preferences, DateTime? CreatedAt, DateTime? UpdatedAt, DateTime? LastLoginAt);

/// <summary>A key as lists show it: never the key itself nor its hash.</summary>
public sealed record ApiKeyResponse(
    long KeyId, int UserId, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A new key: <see cref="Key"/> is returned this once and stored only as a hash.</summary>
public sealed record CreatedApiKeyResponse(long KeyId, int UserId, string Name, string Prefix, string Key, DateTime CreatedAt);

public sealed record MeResponse(UserResponse User, IReadOnlyList<ApiKeyResponse> Keys);
