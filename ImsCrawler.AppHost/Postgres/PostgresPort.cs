using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>
/// The port PostgreSQL listens on under <c>dotnet run</c>: <c>Postgres:Port</c>, default 55432, the same on
/// every start so the crawler's DATABASE_PORT keeps working. Not 5432, which a system PostgreSQL often holds.
/// <c>0</c> asks for a new free port on every start (the end-to-end tests do).
/// </summary>
public static class PostgresPort
{
    public const string ConfigurationKey = "Postgres:Port";
    public const int Default = 55432;

    public static int? FromConfiguration(IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text))
            return Default;
        if (!int.TryParse(text, out var port) || port is < 0 or > 65535)
            throw new InvalidOperationException($"{ConfigurationKey} must be a port number (1-65535), or 0 for a new free port on every start; it is '{text}'.");
        return port == 0 ? null : port;
    }

    /// <summary>Fails with a sentence saying what to do when something already listens on <paramref name="port"/>.</summary>
    /// <param name="user">Who needs the port, when it is not the primary server (e.g. "read replica 1 (Postgres:Port + 1)").</param>
    public static void EnsureFree(int port, string? user = null)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException)
        {
            throw new InvalidOperationException(
                $"Port {port} on localhost{(user is null ? "" : $", for {user},")} is already in use (another PostgreSQL, or a second AppHost?). Stop that program, " +
                $"or choose another port: dotnet run --project ImsCrawler.AppHost -- --{ConfigurationKey}=<port> " +
                "(0 picks a free one on every start, but then clients such as the crawler must follow it).");
        }
    }
}
