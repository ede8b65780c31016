using Dapper;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Database.Tests.Infrastructure;

/// <summary>The three application roles, as the API switches to them per transaction.</summary>
public static class Roles
{
    public const string Admin = "ims_admin";
    public const string User = "ims_user";
    public const string ReadOnly = "ims_readonly";
}

public static class Db
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that starts with <c>SET LOCAL ROLE</c> and,
    /// when given, <c>ims.set_current_user</c> — exactly what the API does per request.
    /// The transaction is committed, so later assertions see what the role could write.
    /// </summary>
    public static async Task<T> AsRoleAsync<T>(this DatabaseFixture db, string role, int? userId,
        Func<NpgsqlConnection, Task<T>> work)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync($"SET LOCAL ROLE {role}");
        if (userId is not null)
            await connection.ExecuteAsync("SELECT ims.set_current_user(@userId)", new { userId });
        var result = await work(connection);
        await transaction.CommitAsync();
        return result;
    }

    public static Task AsRoleAsync(this DatabaseFixture db, string role, int? userId,
        Func<NpgsqlConnection, Task> work) =>
        db.AsRoleAsync(role, userId, async connection => { await work(connection); return true; });

    /// <summary>One query as the owner (superuser): set-up and checks that bypass RLS.</summary>
    public static async Task<T> ScalarAsync<T>(this DatabaseFixture db, string sql, object? args = null)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public static async Task<int> ExecuteAsync(this DatabaseFixture db, string sql, object? args = null)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteAsync(sql, args);
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this DatabaseFixture db, string sql, object? args = null)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<T>(sql, args)).AsList();
    }

    public static async Task<T> QuerySingleAsync<T>(this DatabaseFixture db, string sql, object? args = null)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleAsync<T>(sql, args);
    }
}
