using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.AppHost.Postgres;

public static class LocalPostgresReplicaExtensions
{
    public const string ReplicationPasswordName = "postgres-replication-password";

    /// <summary>
    /// Adds <paramref name="count"/> streaming hot standbys of <paramref name="server"/>, each an executable resource
    /// (postgres-replica-1, ...) shown under the server, with its own data directory next to the server's and the port
    /// after the server's (<c>Postgres:Port</c> + 1, ...). Each starts once the server is healthy and its base backup
    /// is made (or an existing one still fits), and is healthy while it streams.
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<LocalPostgresStandbyResource>> AddReadReplicas(
        this IResourceBuilder<LocalPostgresServerResource> server, int count)
    {
        server.Resource.ReadReplicas = count;
        if (count == 0)
            return [];

        // A role that may only stream WAL: the standbys' settings hold its password, not the superuser's.
        server.Resource.ReplicationPasswordParameter = server.ApplicationBuilder.AddGeneratedSecret(ReplicationPasswordName).Resource;
        return Enumerable.Range(1, count).Select(index => server.AddStandby(index)).ToList();
    }

    private static IResourceBuilder<LocalPostgresStandbyResource> AddStandby(this IResourceBuilder<LocalPostgresServerResource> server, int index)
    {
        var primary = server.Resource;
        var options = primary.Options with
        {
            DataDirectory = PostgresReadReplicas.DataDirectory(primary.Options.DataDirectory, index),
            Port = primary.Options.Port + index,
        };
        var launch = LocalPostgresLaunch.For(options);
        var name = PostgresReadReplicas.ResourceName(index);
        var standby = new LocalPostgresStandbyResource(name, launch.Command, options.BinDirectory, options, primary, index);
        var healthCheckKey = $"{name}_check";

        server.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, ct => CheckStandbyAsync(standby, ct));

        return server.ApplicationBuilder.AddResource(standby)
            .WithArgs(launch.Arguments)
            .WithEndpoint(port: options.Port, targetPort: options.Port, scheme: "tcp", name: LocalPostgresServerResource.EndpointName,
                env: "PGPORT", isProxied: options.Port is null)
            .WithHealthCheck(healthCheckKey)
            .WithIconName("DatabaseStack")
            .WithParentRelationship(server)
            .WaitFor(server)
            .ExcludeFromManifest()
            .OnBeforeResourceStarted(PrepareStandbyAsync);
    }

    private static async Task PrepareStandbyAsync(LocalPostgresStandbyResource standby, BeforeResourceStartedEvent @event, CancellationToken cancellationToken)
    {
        var resourceLogger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(standby);
        try
        {
            // The base backup needs a running primary, whatever the order of Aspire's own waiting and this event.
            await @event.Services.GetRequiredService<ResourceNotificationService>().WaitForResourceHealthyAsync(standby.Primary.Name, cancellationToken);
            if (standby.Options.Port is { } port)
                PostgresPort.EnsureFree(port, $"read replica {standby.Index} ({PostgresPort.ConfigurationKey} + {standby.Index})");
            await LocalPostgresStandby.PrepareAsync(standby.Options, await SourceOfAsync(standby, cancellationToken), resourceLogger, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalPostgresReplicaExtensions))
                .LogError("PostgreSQL read replica '{Resource}' cannot start: {Reason}", standby.Name, exception.Message);
            resourceLogger.LogError(exception, "The read replica cannot start");
            throw;
        }
    }

    private static async Task<LocalPostgresStandby.Source> SourceOfAsync(LocalPostgresStandbyResource standby, CancellationToken cancellationToken)
    {
        var primary = standby.Primary;
        // Straight to the port postgres listens on (without a fixed Postgres:Port DCP proxies the public one).
        var port = await primary.PrimaryEndpoint.Property(EndpointProperty.TargetPort).GetValueAsync(cancellationToken);
        var password = primary.ReplicationPasswordParameter is { } parameter ? await parameter.GetValueAsync(cancellationToken) : null;
        return new LocalPostgresStandby.Source(
            await AdminConnectionStringAsync(primary, cancellationToken),
            "localhost",
            int.Parse(port!),
            password ?? throw new InvalidOperationException($"The {ReplicationPasswordName} parameter has no value."),
            PostgresReadReplicas.SlotName(standby.Index),
            standby.Name);
    }

    private static async Task<HealthCheckResult> CheckStandbyAsync(LocalPostgresStandbyResource standby, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(await AdminConnectionStringAsync(standby, cancellationToken));
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "select pg_is_in_recovery(), coalesce((select status from pg_stat_wal_receiver), 'not receiving')", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (!reader.GetBoolean(0))
                return HealthCheckResult.Unhealthy("The server is not in recovery: it was promoted and is no standby any more.");
            var receiver = reader.GetString(1);
            return receiver == "streaming"
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The standby is not streaming from the primary (WAL receiver: {receiver}).");
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(exception.Message, exception);
        }
    }

    // Not pooled, as for the primary: postgres' smart shutdown would wait for idle pooled connections.
    private static async Task<string> AdminConnectionStringAsync(IResourceWithConnectionString server, CancellationToken cancellationToken) =>
        new NpgsqlConnectionStringBuilder(await server.ConnectionStringExpression.GetValueAsync(cancellationToken))
        {
            Database = "postgres",
            Pooling = false,
            Timeout = 5,
        }.ConnectionString;
}
