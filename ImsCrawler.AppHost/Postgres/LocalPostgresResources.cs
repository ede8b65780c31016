namespace ImsCrawler.AppHost.Postgres;

/// <summary>A PostgreSQL server run from the machine's own binaries, for machines without a container engine.</summary>
public sealed class LocalPostgresServerResource(string name, string command, string workingDirectory, LocalPostgresOptions options, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    public const string SuperUser = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    public LocalPostgresOptions Options { get; } = options;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    /// <summary>Database names keyed by their resource names.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    /// <summary>How many read replicas stream from this server (<see cref="PostgresReadReplicas"/>).</summary>
    public int ReadReplicas { get; internal set; }

    /// <summary>The password of <see cref="PostgresReadReplicas.ReplicationRole"/>; null while there are no read replicas.</summary>
    public ParameterResource? ReplicationPasswordParameter { get; internal set; }

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={SuperUser};Password={PasswordParameter}");

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);
}

/// <summary>A database on a <see cref="LocalPostgresServerResource"/>, created once the server is ready.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public LocalPostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

/// <summary>A streaming hot standby of a <see cref="LocalPostgresServerResource"/>, made with <c>pg_basebackup -R</c>.</summary>
public sealed class LocalPostgresStandbyResource(string name, string command, string workingDirectory, LocalPostgresOptions options,
    LocalPostgresServerResource primary, int index)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public LocalPostgresOptions Options { get; } = options;

    public LocalPostgresServerResource Primary { get; } = primary;

    /// <summary>1 for the first standby.</summary>
    public int Index { get; } = index;

    public EndpointReference PrimaryEndpoint => field ??= new(this, LocalPostgresServerResource.EndpointName);

    /// <summary>As the superuser: roles and their passwords are replicated, so the primary's password works here.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={LocalPostgresServerResource.SuperUser};Password={Primary.PasswordParameter}");
}
