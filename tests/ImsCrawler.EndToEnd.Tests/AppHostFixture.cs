using Aspire.Hosting;

namespace ImsCrawler.EndToEnd.Tests;

/// <summary>
/// The real AppHost on a throwaway local PostgreSQL cluster. As a collection fixture it is started once per test run.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    // Generous: CI has two cores shared with the other test projects.
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMinutes(1);

    // Under the temp directory: the postgres OS user (when the tests run as root) can reach it, unlike /root.
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), $"ims-e2e-{Guid.NewGuid():N}");

    public string DataDirectory => Path.Combine(_workDirectory, "pgdata");

    /// <summary>Postgres:Port for this run: a fixed port, as under <c>dotnet run</c>, but one that is free here.</summary>
    public int PostgresPort { get; } = FreeTcpPort();

    /// <summary>The crawler-db-password parameter: the Migrator lets ims_user log in with it.</summary>
    public const string CrawlerPassword = "e2e-crawler-Pa55";

    private bool _stopped;

    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImsCrawler_AppHost>(
            ["Postgres:Mode=local", $"Postgres:DataDirectory={DataDirectory}", $"Postgres:Port={PostgresPort}",
             $"Parameters:crawler-db-password={CrawlerPassword}"]);

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

    private static int FreeTcpPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
