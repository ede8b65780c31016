using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>
/// The services log in as their own least-privilege roles (sql/17): the migrator, as the owner, gives
/// ims_api_login and ims_jobs_login the passwords of two generated secret parameters, and each service
/// gets a connection string with its own login. Only the migrator (and the Jobs service's VACUUM, through
/// <c>imsdb-maintenance</c>) use the owner's.
/// </summary>
public static class ServiceLogins
{
    public const string ApiLogin = "ims_api_login";
    public const string JobsLogin = "ims_jobs_login";

    /// <summary>A generated secret (a password, the first admin key), kept in the AppHost's user secrets and shown in the dashboard.</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

    /// <summary>
    /// <c>ConnectionStrings:imsdb</c> of <paramref name="service"/>: the database as <paramref name="login"/>.
    /// In external mode the operator's <c>ConnectionStrings:imsdb-&lt;service&gt;</c> when given, else the owner's.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatabaseLogin(this IResourceBuilder<ProjectResource> service,
        ImsDatabase database, string login, IResourceBuilder<ParameterResource> password)
    {
        var connectionName = $"ConnectionStrings__{ImsPostgresExtensions.DatabaseResourceName}";
        if (database.Endpoint is { } endpoint)
            return service
                .WithEnvironment(connectionName, ReferenceExpression.Create(
                    $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={login};Password={password.Resource};Database={ImsPostgresExtensions.DatabaseName}"))
                .WithReferenceRelationship(database.Resource)
                .WaitFor(database.Resource);

        var own = service.ApplicationBuilder.Configuration.GetConnectionString($"{ImsPostgresExtensions.DatabaseResourceName}-{service.Resource.Name}");
        return own is { Length: > 0 }
            ? service.WithEnvironment(connectionName, own).WithReferenceRelationship(database.Resource)
            : service.WithReference(database.Resource);
    }

    /// <summary>
    /// <c>ConnectionStrings:imsdb-read</c> of <paramref name="service"/>: the read replicas as <paramref name="login"/>
    /// (roles and passwords are replicated, so the primary's login works there), load-balanced by Npgsql when there are
    /// several; else the operator's <c>imsdb-read</c> as given; else nothing.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReadDatabaseLogin(this IResourceBuilder<ProjectResource> service,
        ImsDatabase database, string login, IResourceBuilder<ParameterResource> password)
    {
        if (database.ReadConnection is { } readConnection)
            return service.WithReference(readConnection);
        if (database.Standbys.Count == 0)
            return service;

        var connectionString = new ReferenceExpressionBuilder();
        if (database.Standbys is [var only])
        {
            var endpoint = only.Resource.PrimaryEndpoint;
            connectionString.Append($"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)}");
        }
        else
        {
            // Npgsql's multi-host form: each connection goes to the next standby, skipping one that is down.
            connectionString.AppendLiteral("Load Balance Hosts=true;Host=");
            foreach (var (standby, index) in database.Standbys.Select((standby, index) => (standby, index)))
            {
                var endpoint = standby.Resource.PrimaryEndpoint;
                connectionString.AppendLiteral(index == 0 ? "" : ",");
                connectionString.Append($"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}");
            }
        }
        connectionString.Append($";Username={login};Password={password.Resource};Database={ImsPostgresExtensions.DatabaseName}");
        foreach (var standby in database.Standbys)
            service.WithReferenceRelationship(standby.Resource).WaitFor(standby);
        return service.WithEnvironment($"ConnectionStrings__{PostgresReadReplicas.ConnectionName}", connectionString.Build());
    }
}
