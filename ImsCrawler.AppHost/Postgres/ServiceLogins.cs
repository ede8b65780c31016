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
}
