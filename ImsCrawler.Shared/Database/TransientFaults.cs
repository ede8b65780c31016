using Npgsql;

namespace ImsCrawler.Shared.Database;

/// <summary>
/// The one definition of a transient database fault, for every retry in the services and the Migrator: Npgsql's own
/// (I/O, timeouts), a serialization failure or deadlock (the transaction can simply run again), and a server that is
/// shutting down, crashed or still starting (it comes back).
/// </summary>
public static class TransientFaults
{
    public static bool IsTransient(Exception exception) =>
        exception is NpgsqlException npgsql
        && (npgsql.IsTransient
            || npgsql is PostgresException
            {
                SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                    or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
            });

    /// <summary>The connection (and so every idle one of its pool) is gone: the server went away or is restarting.</summary>
    public static bool IsConnectionLost(Exception? exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };
}
