using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>The IMS database resource and, where the AppHost runs the server, its endpoint (for the services' own logins).</summary>
public sealed record ImsDatabase(IResourceBuilder<IResourceWithConnectionString> Resource, EndpointReference? Endpoint);

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

        switch (ResolveMode(builder, mode))
        {
            case PostgresMode.Container:
                var container = builder.AddContainerPostgres(PostgresPort.FromConfiguration(builder.Configuration));
                return new ImsDatabase(container, container.Resource.Parent.PrimaryEndpoint);
            case PostgresMode.Local:
                var server = builder.AddLocalPostgres(ServerName, LocalPostgresOptions.FromConfiguration(builder.Configuration));
                return new ImsDatabase(server.AddDatabase(DatabaseResourceName, DatabaseName), server.Resource.PrimaryEndpoint);
            default:
                return new ImsDatabase(builder.AddConnectionString(DatabaseResourceName), null);
        }
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
