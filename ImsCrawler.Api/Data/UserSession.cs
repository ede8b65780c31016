using Dapper;
using Npgsql;

namespace ImsCrawler.Api.Data;

/// <summary>
/// One unit of work of one user (<see cref="UserDatabase"/>): a connection whose transaction already runs as the user
/// (role and row-level-security id), and the request's cancellation. Every statement goes through Dapper with that
/// transaction and token, so the query classes of the areas take a session and never see either.
/// <see cref="Connection"/> is there for what Dapper does not do: binary COPY (ingest).
/// </summary>
public sealed class UserSession
{
    private readonly NpgsqlTransaction transaction;

    internal UserSession(NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseUser user, CancellationToken cancellationToken)
    {
        Connection = connection;
        this.transaction = transaction;
        User = user;
        CancellationToken = cancellationToken;
    }

    public DatabaseUser User { get; }

    public CancellationToken CancellationToken { get; }

    public NpgsqlConnection Connection { get; }

    /// <param name="commandTimeout">Seconds; 0 waits as long as it takes (bulk statements); null: the connection's default.</param>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null, int? commandTimeout = null) =>
        (await Connection.QueryAsync<T>(Command(sql, args, commandTimeout))).AsList();

    /// <summary>Rows made of two parts, the second starting at column <paramref name="splitOn"/> (Dapper multi-mapping).</summary>
    public async Task<IReadOnlyList<TResult>> QueryAsync<TFirst, TSecond, TResult>(string sql, Func<TFirst, TSecond, TResult> map,
        string splitOn, object? args = null) =>
        (await Connection.QueryAsync(Command(sql, args, null), map, splitOn)).AsList();

    public Task<T> QuerySingleAsync<T>(string sql, object? args = null, int? commandTimeout = null) =>
        Connection.QuerySingleAsync<T>(Command(sql, args, commandTimeout));

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? args = null) =>
        Connection.QuerySingleOrDefaultAsync<T>(Command(sql, args, null));

    /// <summary>Several result sets in one round trip, read in order.</summary>
    public Task<SqlMapper.GridReader> QueryMultipleAsync(string sql, object? args = null) =>
        Connection.QueryMultipleAsync(Command(sql, args, null));

    public Task<int> ExecuteAsync(string sql, object? args = null, int? commandTimeout = null) =>
        Connection.ExecuteAsync(Command(sql, args, commandTimeout));

    public Task<T?> ScalarAsync<T>(string sql, object? args = null, int? commandTimeout = null) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, args, commandTimeout));

    private CommandDefinition Command(string sql, object? args, int? commandTimeout) =>
        new(sql, args, transaction, commandTimeout, cancellationToken: CancellationToken);
}
