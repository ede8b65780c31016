using ImsCrawler.AppHost.Postgres;
using ImsCrawler.AppHost.Scaling;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.EndToEnd.Tests;

// Builds the AppHost without starting it (or only reads configuration), so it needs no shared app.
public sealed class ScaleOutConfigurationTests
{
    private const string ExternalPrimary = "Host=db.example;Database=ims_crawler;Username=ims;Password=pw";
    private const string ExternalReplica = "Host=replica.example;Database=ims_crawler;Username=ims_reader;Password=pw";

    private static IConfiguration With(string key, string? value) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

    [Theory]
    [InlineData(null, 0)]
    [InlineData("2", 2)]
    public void Read_replicas_are_off_unless_configured(string? configured, int expected) =>
        Assert.Equal(expected, PostgresReadReplicas.FromConfiguration(With(PostgresReadReplicas.ConfigurationKey, configured)));

    [Theory]
    [InlineData("-1")]
    [InlineData("9")]
    [InlineData("two")]
    public void A_bad_read_replica_count_is_a_sentence_naming_the_setting(string configured)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => PostgresReadReplicas.FromConfiguration(With(PostgresReadReplicas.ConfigurationKey, configured)));
        Assert.Contains($"{PostgresReadReplicas.ConfigurationKey} must be a number of read replicas from 0 to 8", exception.Message);
    }

    [Theory]
    [InlineData(ServiceReplicas.ApiKey, null, 1)]
    [InlineData(ServiceReplicas.JobsKey, "3", 3)]
    public void Services_run_one_process_unless_configured(string key, string? configured, int expected) =>
        Assert.Equal(expected, ServiceReplicas.FromConfiguration(With(key, configured), key));

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("many")]
    public void A_bad_service_replica_count_is_a_sentence_naming_the_setting(string configured)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => ServiceReplicas.FromConfiguration(With(ServiceReplicas.ApiKey, configured), ServiceReplicas.ApiKey));
        Assert.Contains($"{ServiceReplicas.ApiKey} must be a number of replicas from 1 to 16", exception.Message);
    }

    [Fact]
    public void A_standby_lives_next_to_the_primarys_data_directory() =>
        Assert.Equal("/var/tmp/ims-crawler/pgdata-replica-2", PostgresReadReplicas.DataDirectory("/var/tmp/ims-crawler/pgdata/", 2));

    [Fact]
    public async Task Container_mode_refuses_read_replicas_and_says_what_to_use_instead()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.ImsCrawler_AppHost>(["Postgres:Mode=container", "Postgres:ReadReplicas=1"]));

        Assert.Contains("--Postgres:Mode=local", string.Join(" | ", Messages(exception)));
    }

    [Fact]
    public async Task External_mode_with_read_replicas_needs_their_connection_string()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.ImsCrawler_AppHost>(
            ["Postgres:Mode=external", $"ConnectionStrings:imsdb={ExternalPrimary}", "Postgres:ReadReplicas=1"]));

        Assert.Contains("ConnectionStrings:imsdb-read", string.Join(" | ", Messages(exception)));
    }

    [Fact]
    public async Task External_mode_hands_the_api_the_operators_read_connection_string_and_no_one_else()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImsCrawler_AppHost>(["Postgres:Mode=external",
            $"ConnectionStrings:imsdb={ExternalPrimary}", $"ConnectionStrings:imsdb-read={ExternalReplica}", "Postgres:ReadReplicas=1"]);

        var readConnection = ReadConnectionOf(appHost);

        Assert.NotNull(readConnection);
        Assert.Equal(ExternalReplica, await readConnection.GetConnectionStringAsync());
        Assert.Equal(["api"], ReferrersOf(appHost, readConnection));
    }

    [Fact]
    public async Task Without_read_replicas_the_api_gets_no_read_connection_string()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImsCrawler_AppHost>(["Postgres:Mode=external",
            $"ConnectionStrings:imsdb={ExternalPrimary}", $"ConnectionStrings:imsdb-read={ExternalReplica}"]);

        Assert.Null(ReadConnectionOf(appHost));
    }

    [Fact]
    public async Task Publishing_with_read_replicas_asks_for_their_connection_string_for_the_api()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImsCrawler_AppHost>(
            ["--publisher", "manifest", "--output-path", Path.Combine(Path.GetTempPath(), $"ims-manifest-{Guid.NewGuid():N}.json"), "Postgres:ReadReplicas=1"]);

        var readConnection = ReadConnectionOf(appHost);

        Assert.True(appHost.ExecutionContext.IsPublishMode);
        Assert.NotNull(readConnection);
        Assert.Equal(["api"], ReferrersOf(appHost, readConnection));
    }

    private static IResourceWithConnectionString? ReadConnectionOf(IDistributedApplicationTestingBuilder appHost) =>
        appHost.Resources.OfType<IResourceWithConnectionString>().SingleOrDefault(r => r.Name == PostgresReadReplicas.ConnectionName);

    // WithReference of a connection string: the referrer gets ConnectionStrings__<name>.
    private static List<string> ReferrersOf(IDistributedApplicationTestingBuilder appHost, IResource resource) =>
        appHost.Resources.Where(r => r.Annotations.OfType<ResourceRelationshipAnnotation>().Any(a => a.Resource == resource && a.Type == "Reference"))
            .Select(r => r.Name).ToList();

    private static IEnumerable<string> Messages(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            yield return exception.Message;
    }
}
