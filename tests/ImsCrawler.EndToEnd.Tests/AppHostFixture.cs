using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImsCrawler.EndToEnd.Tests;

/// <summary>
/// The real AppHost on a throwaway local PostgreSQL cluster, scaled out as issue 13 describes: two api and two jobs
/// processes and one read replica, so every test also holds for replicas. As a collection fixture it is started once
/// per test run.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    // Generous: CI has two cores shared with the other test projects.
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMinutes(1);

    // Under the temp directory: the postgres OS user (when the tests run as root) can reach it, unlike /root.
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), $"ims-e2e-{Guid.NewGuid():N}");

    public string DataDirectory => Path.Combine(_workDirectory, "pgdata");

    /// <summary>Postgres:Port for this run: a fixed port, as under <c>dotnet run</c>, but one that is free here (the
    /// read replica takes the next one).</summary>
    public int PostgresPort { get; } = FreeTcpPortFollowedByFreeOnes(ReadReplicas);

    public const int ApiReplicas = 2;
    public const int JobsReplicas = 2;
    public const int ReadReplicas = 1;

    public string ReplicaDataDirectory => DataDirectory + "-replica-1";

    /// <summary>The crawler-db-password parameter: the Migrator lets ims_user log in with it.</summary>
    public const string CrawlerPassword = "e2e-crawler-Pa55";

    private bool _stopped;

    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImsCrawler_AppHost>(
            ["Postgres:Mode=local", $"Postgres:DataDirectory={DataDirectory}", $"Postgres:Port={PostgresPort}",
             $"Parameters:crawler-db-password={CrawlerPassword}",
             $"Api:Replicas={ApiReplicas}", $"Jobs:Replicas={JobsReplicas}", $"Postgres:ReadReplicas={ReadReplicas}"]);

        // No dashboard listens under the testing builder; an OTLP endpoint would cost each process ~5 s on exit.
        foreach (var project in appHost.Resources.OfType<ProjectResource>())
        {
            appHost.CreateResourceBuilder(project)
                .WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }

        App = await appHost.BuildAsync();
        using var timeout = new CancellationTokenSource(StartupTimeout);
        await App.StartAsync(timeout.Token);
    }

    public async Task StopAsync()
    {
        if (App is null || _stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(ShutdownTimeout);
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            DeleteWorkDirectory();
        }
    }

    public async Task<CustomResourceSnapshot> WaitForTerminalStateAsync(string resourceName)
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var resourceEvent = await App.ResourceNotifications.WaitForResourceAsync(
            resourceName, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
        return resourceEvent.Snapshot;
    }

    public async Task WaitForHealthyAsync(string resourceName)
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, timeout.Token);
    }

    /// <summary>Snapshots of the replicas of <paramref name="resourceName"/> (its processes under <c>WithReplicas</c>) once
    /// <paramref name="count"/> of them are running and healthy.</summary>
    public async Task<IReadOnlyList<ResourceEvent>> WaitForHealthyReplicasAsync(string resourceName, int count)
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var replicas = new Dictionary<string, ResourceEvent>();
        await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (resourceEvent.Resource.Name != resourceName)
                continue;
            replicas[resourceEvent.ResourceId] = resourceEvent;
            var healthy = replicas.Values.Where(r => r.Snapshot.State?.Text == KnownResourceStates.Running
                && r.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy).ToList();
            if (healthy.Count >= count)
                return healthy;
        }
        throw new OperationCanceledException($"{resourceName} did not get {count} healthy replicas.");
    }

    /// <summary>The environment variables the AppHost gives <paramref name="resourceName"/>, resolved.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentOfAsync(string resourceName)
    {
        var resource = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        var configuration = await ExecutionConfigurationBuilder.Create(resource).WithEnvironmentVariablesConfig()
            .BuildAsync(App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value);
    }

    private static int FreeTcpPortFollowedByFreeOnes(int following)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreeTcpPort(0);
            if (Enumerable.Range(port + 1, following).All(next => FreeTcpPort(next) == next) || attempt == 20)
                return port;
        }
    }

    private static int FreeTcpPort(int port)
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return 0;
        }
        finally
        {
            listener.Stop();
        }
    }

    private void DeleteWorkDirectory()
    {
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
