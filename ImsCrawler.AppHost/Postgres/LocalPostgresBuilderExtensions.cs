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
    /// container engine runs): initdb on first start, a generated password, a health check, a DCP-allocated port.
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
            // DCP picks a free port and hands it to postgres, which reads PGPORT.
            .WithEndpoint(scheme: "tcp", name: LocalPostgresServerResource.EndpointName, env: "PGPORT")
            .WithHealthCheck(healthCheckKey)
            .WithIconName("DatabaseStack")
            .ExcludeFromManifest()
            .OnBeforeResourceStarted(async (resource, @event, ct) =>
            {
                var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
                await LocalPostgresCluster.PrepareAsync(resource.Options, await resource.PasswordParameter.GetValueAsync(ct) ?? "", logger, ct);
            })
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
        var model = @event.Services.GetRequiredService<DistributedApplicationModel>();
        var connectionString = await AdminConnectionStringAsync(server, cancellationToken);

        foreach (var database in model.Resources.OfType<LocalPostgresDatabaseResource>().Where(db => db.Parent == server))
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
