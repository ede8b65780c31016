using ImsCrawler.Api.Data;

namespace ImsCrawler.Api.Identity;

/// <summary>
/// At start-up, makes sure an administrator can get in. With <c>Api:BootstrapAdminKey</c> configured,
/// that key's hash is stored for user 'admin' once (never logged; a revoked one is not restored).
/// Otherwise, when no active key of an active admin user exists, a key is created for user 'admin'
/// (the user is created, or reactivated as an admin, when needed) and printed once at Warning level.
/// Runs as ims_admin (<see cref="DatabaseUser.RoleOnly"/>) through <see cref="UserDatabase"/>, under a transaction-level
/// advisory lock, so replicas starting together create one key.
/// </summary>
public sealed class BootstrapAdminKey(
    UserDatabase database,
    IConfiguration configuration,
    ILogger<BootstrapAdminKey> logger) : IHostedService
{
    public const string ConfigurationKey = "Api:BootstrapAdminKey";
    public const string AdminUserName = "admin";
    public const string GeneratedKeyName = "bootstrap";
    public const string ConfiguredKeyName = "bootstrap (configured)";
    public const int MinimumConfiguredKeyLength = 20;

    // pg_advisory_xact_lock key: 'IMSBOOT' as a number, so it cannot clash with the Migrator's lock by accident.
    private const long LockId = 0x494D53424F4F54;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = configuration[ConfigurationKey];
        if (configured is { Length: > 0 } && configured.Trim().Length < MinimumConfiguredKeyLength)
            throw new InvalidOperationException(
                $"{ConfigurationKey} is set but shorter than {MinimumConfiguredKeyLength} characters; use a long random secret.");

        // Admin rights through the role, whatever the login role is (the API must be able to switch to it anyway).
        var created = await database.RunAsync(DatabaseUser.RoleOnly(DatabaseUser.Admin), async session =>
        {
            await session.ExecuteAsync("select pg_advisory_xact_lock(@LockId)", new { LockId });
            return string.IsNullOrWhiteSpace(configured)
                ? await EnsureAnyAdminKeyAsync(session)
                : await EnsureConfiguredKeyAsync(session, configured.Trim());
        }, cancellationToken);

        switch (created)
        {
            case Outcome.Generated generated:
                logger.LogWarning(
                    "No active API key of an active administrator existed, so an admin API key was created for user '{UserName}'. " +
                    "It is shown only this once; store it now and send it as 'Authorization: Bearer <key>': {ApiKey}",
                    AdminUserName, generated.Key);
                break;
            case Outcome.ConfiguredStored:
                logger.LogInformation("Stored the hash of the configured {Setting} for user '{UserName}'.", ConfigurationKey, AdminUserName);
                break;
            case Outcome.ConfiguredRevoked:
                logger.LogWarning("The configured {Setting} was revoked earlier and is not restored; configure a new one or use another admin key.", ConfigurationKey);
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<Outcome> EnsureAnyAdminKeyAsync(UserSession session)
    {
        var exists = await session.ScalarAsync<bool>("""
            select exists (
                select 1 from ims.api_keys k join ims.users u on u.user_id = k.user_id
                where k.revoked_at is null and u.role = 'admin' and u.is_active)
            """);
        if (exists)
            return new Outcome.Nothing();

        var key = ApiKeys.Generate();
        await StoreAsync(session, key, GeneratedKeyName);
        return new Outcome.Generated(key);
    }

    private async Task<Outcome> EnsureConfiguredKeyAsync(UserSession session, string key)
    {
        var revoked = await session.ScalarAsync<bool?>(
            "select revoked_at is not null from ims.api_keys where key_hash = @hash", new { hash = ApiKeys.Hash(key) });
        if (revoked is true)
            return new Outcome.ConfiguredRevoked();
        if (revoked is false)
            return new Outcome.Nothing();
        await StoreAsync(session, key, ConfiguredKeyName);
        return new Outcome.ConfiguredStored();
    }

    private async Task StoreAsync(UserSession session, string key, string name)
    {
        // The seed creates 'admin'; recreate it when missing, and make it an active admin again when it is not one
        // (no admin could get in otherwise).
        var reactivated = await session.ScalarAsync<bool>("""
            with inserted as (
                insert into ims.users (username, full_name, role, is_active)
                values (@AdminUserName, 'System Administrator', 'admin', true)
                on conflict (username) do nothing
                returning user_id
            ), repaired as (
                update ims.users set role = 'admin', is_active = true
                where username = @AdminUserName and (role is distinct from 'admin' or is_active is not true)
                returning user_id
            )
            select exists (select 1 from repaired)
            """, new { AdminUserName });
        if (reactivated)
            logger.LogWarning("User '{UserName}' was not an active administrator; it was made one again to hold the bootstrap key.", AdminUserName);

        await session.ExecuteAsync("""
            insert into ims.api_keys (user_id, name, key_prefix, key_hash)
            select user_id, @name, @prefix, @hash from ims.users where username = @AdminUserName
            """, new { name, prefix = ApiKeys.Prefix(key), hash = ApiKeys.Hash(key), AdminUserName });
        await session.ExecuteAsync("""
            insert into ims.audit_log (user_id, action, resource_type, resource_id, new_value)
            select user_id, 'key.bootstrapped', 'api_key', @prefix, jsonb_build_object('name', @name::text)
            from ims.users where username = @AdminUserName
            """, new { name, prefix = ApiKeys.Prefix(key), AdminUserName });
    }

    private abstract record Outcome
    {
        public sealed record Nothing : Outcome;
        public sealed record Generated(string Key) : Outcome;
        public sealed record ConfiguredStored : Outcome;
        public sealed record ConfiguredRevoked : Outcome;
    }
}
