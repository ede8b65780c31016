using ImsCrawler.Migrator.Database;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.Migrator.Logins;

/// <summary>
/// Gives login roles their password (or takes their login away) once the scripts are applied.
/// Idempotent: a role that already logs in with the given password is not touched. Roles are
/// cluster-wide, so a password set here holds for every database of the server.
/// </summary>
public sealed class LoginManager(NpgsqlConnection connection, ILogger logger)
{
    private sealed record RoleState(bool CanLogin, bool VerifierReadable, string? Verifier);

    public async Task ApplyAsync(IEnumerable<LoginSetting> logins, CancellationToken ct)
    {
        foreach (var login in logins.Where(l => l.Change != LoginChange.Leave))
            await ApplyAsync(login, ct);
    }

    private async Task ApplyAsync(LoginSetting login, CancellationToken ct)
    {
        var state = await ReadStateAsync(login.Role, ct)
            ?? throw new InvalidOperationException($"Role {login.Role} does not exist; the scripts create it.");
        var role = Sql.QuoteIdentifier(login.Role);
        if (login.Change == LoginChange.Disable)
        {
            if (!state.CanLogin)
            {
                logger.LogInformation("Login {Role} ({Purpose}) stays disabled", login.Role, login.Purpose);
                return;
            }
            await ExecuteAsync($"ALTER ROLE {role} NOLOGIN PASSWORD NULL", ct);
            logger.LogWarning("Login {Role} ({Purpose}) disabled: nothing can log in as it any more", login.Role, login.Purpose);
            return;
        }

        if (state.CanLogin && state.VerifierReadable && ScramVerifier.Matches(state.Verifier, login.Password!))
        {
            logger.LogInformation("Login {Role} ({Purpose}): password unchanged", login.Role, login.Purpose);
        }
        else
        {
            // A verifier is a literal, not a parameter: ALTER ROLE takes no parameters. It holds only base64 and '$:'.
            await ExecuteAsync($"ALTER ROLE {role} LOGIN PASSWORD '{ScramVerifier.Create(login.Password!)}'", ct);
            logger.LogInformation("Login {Role} ({Purpose}): {What}", login.Role, login.Purpose,
                state.CanLogin ? "password changed" : "can now log in with the configured password");
        }
        // Login-time defaults of the role, in every database (roles are cluster-wide, and a database cloned
        // from a template would not carry per-database ones). They do not follow a SET ROLE to the role.
        foreach (var (name, value) in login.LoginDefaults ?? new Dictionary<string, string>())
            await ExecuteAsync($"ALTER ROLE {role} SET {name} = {value}", ct);
    }

    private async Task<RoleState?> ReadStateAsync(string role, CancellationToken ct)
    {
        // pg_authid (the stored verifier) is readable by superusers only; without it the password is always set.
        await using var command = new NpgsqlCommand(
            """
            SELECT r.rolcanlogin, has_table_privilege('pg_catalog.pg_authid', 'SELECT')
            FROM pg_catalog.pg_roles r WHERE r.rolname = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        bool canLogin;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
                return null;
            canLogin = reader.GetBoolean(0);
            if (!reader.GetBoolean(1))
                return new RoleState(canLogin, false, null);
        }
        await using var verifier = new NpgsqlCommand("SELECT rolpassword FROM pg_catalog.pg_authid WHERE rolname = $1", connection);
        verifier.Parameters.Add(new NpgsqlParameter { Value = role });
        return new RoleState(canLogin, true, await verifier.ExecuteScalarAsync(ct) as string);
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
