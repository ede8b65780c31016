using Npgsql;
using Xunit;

namespace ImsCrawler.TestSupport;

/// <summary>
/// A fresh database per test class (<c>IClassFixture&lt;DatabaseFixture&gt;</c>), cloned from the
/// template that the real Migrator built from <c>sql/</c> (tablespace script skipped); dropped afterwards.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private readonly Func<Task<PostgresServer>> getServer;
    private PostgresServer? server;

    public DatabaseFixture() : this(PostgresServer.GetAsync)
    {
    }

    /// <summary>A database on the server <paramref name="getServer"/> gives (<see cref="RestartableDatabaseFixture"/>); internal: xunit wants one public constructor.</summary>
    internal DatabaseFixture(Func<Task<PostgresServer>> getServer) => this.getServer = getServer;

    public string DatabaseName { get; private set; } = "";

    /// <summary>Superuser (owner) connection string to this fixture's database.</summary>
    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>This database as the Api's own login (<see cref="ServiceLogins.ApiRole"/>), as the Api runs in production.</summary>
    public string ApiConnectionString => Server.ConnectionStringFor(DatabaseName, ServiceLogins.ApiRole, ServiceLogins.ApiPassword);

    /// <summary>This database as the Jobs service's own login (<see cref="ServiceLogins.JobsRole"/>).</summary>
    public string JobsConnectionString => Server.ConnectionStringFor(DatabaseName, ServiceLogins.JobsRole, ServiceLogins.JobsPassword);

    public PostgresServer Server => server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task<NpgsqlConnection> OpenAsync() => await DataSource.OpenConnectionAsync();

    public async Task InitializeAsync()
    {
        server = await getServer();
        DatabaseName = await server.CloneTemplateAsync();
        ConnectionString = server.ConnectionStringFor(DatabaseName);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
            await DataSource.DisposeAsync();
        if (server is not null && DatabaseName.Length > 0)
            await server.DropDatabaseAsync(DatabaseName);
    }
}
