using System.Net;
using System.Net.Sockets;
using ImsCrawler.AppHost.Postgres;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.EndToEnd.Tests;

public sealed class PostgresPortTests
{
    private static IConfiguration With(string? port) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [PostgresPort.ConfigurationKey] = port }).Build();

    [Theory]
    [InlineData(null, PostgresPort.Default)]
    [InlineData("6543", 6543)]
    [InlineData("0", null)]
    public void The_port_is_stable_by_default_configurable_and_0_means_any(string? configured, int? expected) =>
        Assert.Equal(expected, PostgresPort.FromConfiguration(With(configured)));

    [Theory]
    [InlineData("abc")]
    [InlineData("70000")]
    public void A_bad_port_is_a_sentence_naming_the_setting(string configured)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => PostgresPort.FromConfiguration(With(configured)));
        Assert.Contains(PostgresPort.ConfigurationKey, exception.Message);
    }

    [Fact]
    public void A_port_in_use_is_named_with_what_to_do()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var exception = Assert.Throws<InvalidOperationException>(() => PostgresPort.EnsureFree(port));
            Assert.Contains($"Port {port}", exception.Message);
            Assert.Contains("--Postgres:Port=", exception.Message);
        }
        finally
        {
            listener.Stop();
        }
    }
}
