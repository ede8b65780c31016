using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.AppHost.Postgres;

public static class LocalPostgresBuilderExtensions
{
    private const string DatabaseResourceType = "PostgresDatabase";

    /// <summary>
    /// Adds a PostgreSQL server that runs the machine's own binaries (the counterpart of <c>AddPostgres</c> where no
    /// container engine runs): initdb on first start, a generated password, a health check, a stable port
    /// (<see cref="LocalPostgresOptions.Port"/>) or a DCP-allocated one.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, LocalPostgresOptions options)
    {
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var launch = LocalPostgresLaunch.For(options);
        var server = new LocalPostgresServerResource(name, launch.Command, options.BinDirectory, options, password);
        var healthCheckKey = $"{name}_check";

        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, ct => CheckServerAsync(server, ct));

        return builder.AddResource(server)
            .WithArgs(launch.Arguments)
            // postgres reads its port from PGPORT. A fixed port is listened on by postgres itself (no proxy), so
            // clients keep reaching it; without one DCP picks a free port and proxies it.
            .WithEndpoint(port: options.Port, targetPort: options.Port, scheme: "tcp", name: LocalPostgresServerResource.EndpointName,
                env: "PGPORT", isProxied: options.Port is null)
            .WithHealthCheck(healthCheckKey)
            .WithIconName("DatabaseStack")
            .ExcludeFromManifest()
            .OnBeforeResourceStarted(PrepareClusterAsync)
            .OnResourceReady(CreateDatabasesAsync);
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name, string? databaseName = null)
    {
        databaseName ??= name;
        server.Resource.AddDatabase(name, databaseName);

        return server.ApplicationBuilder.AddResource(new LocalPostgresDatabaseResource(name, databaseName, server.Resource))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = DatabaseResourceType,
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.database", databaseName)],
            })
            .ExcludeFromManifest();
    }

    private static async Task PrepareClusterAsync(LocalPostgresServerResource server, BeforeResourceStartedEvent @event, CancellationToken cancellationToken)
    {
        var resourceLogger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        try
        {
            if (server.Options.Port is { } port)
                PostgresPort.EnsureFree(port);
            var password = await server.PasswordParameter.GetValueAsync(cancellationToken) ?? "";
            var replicationPassword = server.ReplicationPasswordParameter is { } replication ? await replication.GetValueAsync(cancellationToken) : null;
            await LocalPostgresCluster.PrepareAsync(server.Options, password, replicationPassword, resourceLogger, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Resource logs only reach the dashboard; a developer at the console must see why nothing starts.
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalPostgresBuilderExtensions))
                .LogError("PostgreSQL '{Resource}' cannot start: {Reason}", server.Name, exception.Message);
            resourceLogger.LogError(exception, "PostgreSQL cannot start");
            // Dependants wait for the databases; a failed database makes them fail instead of waiting forever.
            await PublishDatabaseStateAsync(server, @event.Services, KnownResourceStates.FailedToStart);
            throw;
        }
    }

    private static async Task PublishDatabaseStateAsync(LocalPostgresServerResource server, IServiceProvider services, string state)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in DatabasesOf(server, services))
        {
            await notifications.PublishUpdateAsync(database, snapshot => snapshot with { State = state });
        }
    }

    private static IEnumerable<LocalPostgresDatabaseResource> DatabasesOf(LocalPostgresServerResource server, IServiceProvider services) =>
        services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<LocalPostgresDatabaseResource>()
            .Where(database => database.Parent == server);

    private static async Task<HealthCheckResult> CheckServerAsync(LocalPostgresServerResource server, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(await AdminConnectionStringAsync(server, cancellationToken));
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(exception.Message, exception);
        }
    }

    // Once the server answers, create the databases and mark them running: Aspire propagates a parent's
    // state only to the children of containers, so nothing else would.
    private static async Task CreateDatabasesAsync(LocalPostgresServerResource server, ResourceReadyEvent @event, CancellationToken cancellationToken)
    {
        var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
        var connectionString = await AdminConnectionStringAsync(server, cancellationToken);
        await LocalPostgresCluster.DropUnusedReplicationSlotsAsync(connectionString, server.ReadReplicas, cancellationToken);

        foreach (var database in DatabasesOf(server, @event.Services))
        {
            await LocalPostgresCluster.EnsureDatabaseAsync(connectionString, database.DatabaseName, cancellationToken);
            await notifications.PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        }
    }

    // The AppHost's own connections must not be pooled: postgres' smart shutdown would wait for idle pooled ones.
    private static async Task<string> AdminConnectionStringAsync(LocalPostgresServerResource server, CancellationToken cancellationToken) =>
        new NpgsqlConnectionStringBuilder(await server.ConnectionStringExpression.GetValueAsync(cancellationToken))
        {
            Database = "postgres",
            Pooling = false,
            Timeout = 5,
        }.ConnectionString;
}
