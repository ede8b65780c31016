using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>The IMS database resource and, where the AppHost runs the server, its endpoint (for the services' own logins).</summary>
public sealed record ImsDatabase(IResourceBuilder<IResourceWithConnectionString> Resource, EndpointReference? Endpoint)
{
    /// <summary>The read replicas the AppHost runs (local mode with <c>Postgres:ReadReplicas</c>); empty otherwise.</summary>
    public IReadOnlyList<IResourceBuilder<LocalPostgresStandbyResource>> Standbys { get; init; } = [];

    /// <summary>The operator's <c>imsdb-read</c> connection string (external and publish mode with <c>Postgres:ReadReplicas</c>).</summary>
    public IResourceBuilder<IResourceWithConnectionString>? ReadConnection { get; init; }
}

public static class ImsPostgresExtensions
{
    public const string ServerName = "postgres";
    public const string DatabaseResourceName = "imsdb";
    public const string DatabaseName = "ims_crawler";

    // Aspire 13.6's default image; pinned so an Aspire upgrade never moves a data volume to a new major version.
    public const string ContainerImageTag = "18.3";

    /// <summary>Adds the IMS database from the source that <c>Postgres:Mode</c> selects.</summary>
    public static ImsDatabase AddImsPostgres(this IDistributedApplicationBuilder builder)
    {
        var mode = PostgresModes.Parse(builder.Configuration[PostgresModes.ConfigurationKey]);
        var readReplicas = PostgresReadReplicas.FromConfiguration(builder.Configuration);

        switch (ResolveMode(builder, mode))
        {
            case PostgresMode.Container:
                EnsureNoContainerReplicas(builder, readReplicas);
                var container = builder.AddContainerPostgres(PostgresPort.FromConfiguration(builder.Configuration));
                return new ImsDatabase(container, container.Resource.Parent.PrimaryEndpoint) { ReadConnection = builder.AddReadConnection(readReplicas) };
            case PostgresMode.Local:
                var server = builder.AddLocalPostgres(ServerName, LocalPostgresOptions.FromConfiguration(builder.Configuration));
                var database = server.AddDatabase(DatabaseResourceName, DatabaseName);
                return new ImsDatabase(database, server.Resource.PrimaryEndpoint) { Standbys = server.AddReadReplicas(readReplicas) };
            default:
                return new ImsDatabase(builder.AddConnectionString(DatabaseResourceName), null) { ReadConnection = builder.AddReadConnection(readReplicas) };
        }
    }

    // Outside local mode the AppHost starts no standby: it passes the one the operator runs (an azd input when publishing).
    private static IResourceBuilder<IResourceWithConnectionString>? AddReadConnection(this IDistributedApplicationBuilder builder, int readReplicas)
    {
        if (readReplicas == 0)
            return null;
        if (builder.ExecutionContext.IsRunMode && string.IsNullOrEmpty(builder.Configuration.GetConnectionString(PostgresReadReplicas.ConnectionName)))
            throw new InvalidOperationException(
                $"{PostgresReadReplicas.ConfigurationKey}={readReplicas} with {PostgresModes.ConfigurationKey}=external needs the replicas' connection " +
                $"string in ConnectionStrings:{PostgresReadReplicas.ConnectionName} (the AppHost starts read replicas only in local mode).");
        return builder.AddConnectionString(PostgresReadReplicas.ConnectionName);
    }

    // The postgres image cannot be made a standby without replacing its entrypoint (pg_basebackup before the first start)
    // and its pg_hba.conf (no replication line for other containers), and no container engine runs where this is tested.
    private static void EnsureNoContainerReplicas(IDistributedApplicationBuilder builder, int readReplicas)
    {
        if (readReplicas > 0 && builder.ExecutionContext.IsRunMode)
            throw new InvalidOperationException(
                $"{PostgresReadReplicas.ConfigurationKey}={readReplicas}: read replicas are started in {PostgresModes.ConfigurationKey}=local only. " +
                $"Use --{PostgresModes.ConfigurationKey}=local, or run your own standby and use {PostgresModes.ConfigurationKey}=external " +
                $"with ConnectionStrings:{PostgresReadReplicas.ConnectionName}.");
    }

    private static PostgresMode ResolveMode(IDistributedApplicationBuilder builder, PostgresMode mode)
    {
        // A manifest (azd) can only describe the container model; a local process has no meaning there.
        if (builder.ExecutionContext.IsPublishMode)
        {
            return PostgresMode.Container;
        }

        return mode == PostgresMode.Auto ? DetectMode(builder.Configuration) : mode;
    }

    private static PostgresMode DetectMode(IConfiguration configuration)
    {
        if (ContainerRuntimeProbe.IsAnswering(configuration))
        {
            return PostgresMode.Container;
        }

        if (PostgresBinaries.TryFind(configuration) is not null)
        {
            return PostgresMode.Local;
        }

        throw new InvalidOperationException(
            $"{PostgresModes.ConfigurationKey}=auto found neither a running container runtime (docker or podman) nor PostgreSQL " +
            $"server binaries ({PostgresBinaries.SearchedPlaces}): install and start Docker or Podman, or install the PostgreSQL " +
            "server (e.g. 'apt install postgresql' or 'brew install postgresql@17'), or set Postgres:Mode=external with ConnectionStrings:imsdb.");
    }

    private static IResourceBuilder<PostgresDatabaseResource> AddContainerPostgres(this IDistributedApplicationBuilder builder, int? port)
    {
        var postgres = builder.AddPostgres(ServerName)
            .WithImageTag(ContainerImageTag)
            .WithDataVolume();
        // The same host port on every start, as in local mode; a deployment publishes no host port.
        if (port is not null && !builder.ExecutionContext.IsPublishMode)
            postgres.WithHostPort(port);
        return postgres.AddDatabase(DatabaseResourceName, DatabaseName);
    }
}
