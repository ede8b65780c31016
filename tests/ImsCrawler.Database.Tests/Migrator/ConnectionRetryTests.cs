using System.Net;
using System.Net.Sockets;
using ImsCrawler.Migrator;
using ImsCrawler.Migrator.Database;
using ImsCrawler.Migrator.Logging;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed class ConnectionRetryTests : IDisposable
{
    private readonly string scriptsDirectory = Directory.CreateTempSubdirectory("ims-migrator-retry-").FullName;
    private readonly StringWriter log = new();

    [Fact]
    public async Task A_refused_connection_is_retried_with_backoff_and_logged_then_fails()
    {
        var connectionString = $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Database=ims_crawler";

        await Assert.ThrowsAsync<NpgsqlException>(() => Runner(connectionString).ApplyAsync());

        Assert.Equal(3, CountOccurrences(log.ToString(), "warning: Cannot connect to PostgreSQL yet"));
    }

    [Fact]
    public async Task A_non_transient_error_fails_without_retrying()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionStringFor("postgres")) { Username = "no_such_role", Password = "wrong" }.ConnectionString;

        var exception = await Assert.ThrowsAsync<PostgresException>(() => Runner(connectionString).ApplyAsync());

        // Password authentication does not tell a missing role from a wrong password.
        Assert.Contains(exception.SqlState, new[] { PostgresErrorCodes.InvalidPassword, PostgresErrorCodes.InvalidAuthorizationSpecification });
        Assert.DoesNotContain("Cannot connect to PostgreSQL yet", log.ToString());
    }

    [Fact]
    public void Cannot_connect_now_is_transient_and_a_syntax_error_is_not()
    {
        Assert.True(ConnectionFactory.IsTransient(new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow)));
        Assert.False(ConnectionFactory.IsTransient(new PostgresException("syntax error", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError)));
    }

    public void Dispose() => Directory.Delete(scriptsDirectory, recursive: true);

    private MigrationRunner Runner(string connectionString)
    {
        var logger = LoggerFactory.Create(logging => logging.AddProvider(new PlainTextLoggerProvider(log, log))).CreateLogger("test");
        var options = new MigrationOptions(connectionString, scriptsDirectory) { ConnectRetry = new ConnectRetryOptions(3, TimeSpan.FromMilliseconds(10)) };
        return new MigrationRunner(options, logger, TextWriter.Null);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int CountOccurrences(string text, string value) => text.Split(value).Length - 1;
}
