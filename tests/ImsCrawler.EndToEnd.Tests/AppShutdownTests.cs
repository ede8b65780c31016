namespace ImsCrawler.EndToEnd.Tests;

// Stops an app of its own, so the shared one keeps serving the other tests (test collections run one at a time).
public sealed class AppShutdownTests : IAsyncLifetime
{
    private readonly AppHostFixture _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    [Fact]
    public async Task StoppingTheAppLeavesNoPostgresRunning()
    {
        await _app.WaitForHealthyAsync("postgres");
        await _app.WaitForHealthyAsync("postgres-replica-1");
        Assert.NotEmpty(PostgresProcesses.Using(_app.ReplicaDataDirectory));
        Assert.NotEmpty(PostgresProcesses.Using(_app.DataDirectory));

        await _app.StopAsync();

        // The read replica's data directory (pgdata-replica-1) is matched too.
        await PostgresProcesses.WaitUntilNoneUseAsync(_app.DataDirectory, AppHostFixture.ShutdownTimeout);
    }

    public Task DisposeAsync() => _app.DisposeAsync();
}
