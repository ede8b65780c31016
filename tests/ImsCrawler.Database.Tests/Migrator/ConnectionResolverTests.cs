using ImsCrawler.Migrator.Cli;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ImsCrawler.Database.Tests.Migrator;

public sealed class ConnectionResolverTests
{
    [Fact]
    public void Without_anything_it_uses_localhost_5432_postgres_and_ims_crawler()
    {
        var resolved = Resolve(new ConnectionOptions());

        Assert.Equal(("localhost", 5432, "postgres", null, "ims_crawler"), Parts(resolved));
    }

    [Fact]
    public void Environment_variables_are_the_defaults()
    {
        var resolved = Resolve(new ConnectionOptions(), ("PG_HOST", "db.example"), ("PG_PORT", "6543"), ("PG_USER", "ims"), ("PGPASSWORD", "secret"));

        Assert.Equal(("db.example", 6543, "ims", "secret", "ims_crawler"), Parts(resolved));
    }

    [Fact]
    public void The_connection_string_beats_environment_variables()
    {
        var resolved = Resolve(new ConnectionOptions(),
            ("ConnectionStrings:imsdb", "Host=aspire-host;Port=7000;Username=aspire;Password=pw;Database=imsdb"),
            ("PG_HOST", "db.example"), ("PG_PORT", "6543"), ("PG_USER", "ims"), ("PGPASSWORD", "secret"));

        Assert.Equal(("aspire-host", 7000, "aspire", "pw", "imsdb"), Parts(resolved));
    }

    [Fact]
    public void Explicit_options_override_the_connection_string_parts()
    {
        var resolved = Resolve(new ConnectionOptions("cli-host", 8000, "cli-user", "cli-pw", "cli_db"),
            ("ConnectionStrings:imsdb", "Host=aspire-host;Port=7000;Username=aspire;Password=pw;Database=imsdb;Timeout=42"));

        Assert.Equal(("cli-host", 8000, "cli-user", "cli-pw", "cli_db"), Parts(resolved));
        Assert.Equal(42, new NpgsqlConnectionStringBuilder(resolved).Timeout);
    }

    [Fact]
    public void Parts_missing_from_the_connection_string_come_from_the_environment()
    {
        var resolved = Resolve(new ConnectionOptions(), ("ConnectionStrings:imsdb", "Host=aspire-host"), ("PG_PORT", "6543"), ("PG_USER", "ims"));

        Assert.Equal(("aspire-host", 6543, "ims", null, "ims_crawler"), Parts(resolved));
    }

    [Fact]
    public void A_non_numeric_PG_PORT_is_rejected()
    {
        var exception = Assert.Throws<FormatException>(() => Resolve(new ConnectionOptions(), ("PG_PORT", "abc")));

        Assert.Contains("PG_PORT", exception.Message);
    }

    private static string Resolve(ConnectionOptions options, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value)))
            .Build();
        return ConnectionResolver.Resolve(options, configuration);
    }

    private static (string?, int, string?, string?, string?) Parts(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database);
    }
}
