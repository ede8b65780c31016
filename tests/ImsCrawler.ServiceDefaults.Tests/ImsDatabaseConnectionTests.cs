using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ImsCrawler.ServiceDefaults.Tests;

public sealed class ImsDatabaseConnectionTests
{
    private static readonly Dictionary<string, string?> SeedVariables = new()
    {
        ["DATABASE_HOST"] = "db.example.internal",
        ["DATABASE_PORT"] = "6543",
        ["DATABASE_NAME"] = "ims_crawler",
        ["DATABASE_USER"] = "ims_user",
        ["DATABASE_PASSWORD"] = "s3cret;with=separators",
        ["DATABASE_SCHEMA"] = "ims",
        ["DATABASE_POOL_SIZE"] = "5",
        ["DATABASE_MAX_OVERFLOW"] = "10",
        ["DATABASE_POOL_TIMEOUT"] = "30",
    };

    [Fact]
    public void SeedVariablesMapOntoNpgsqlSettings()
    {
        var settings = Resolve(SeedVariables);

        Assert.Equal("db.example.internal", settings.Host);
        Assert.Equal(6543, settings.Port);
        Assert.Equal("ims_crawler", settings.Database);
        Assert.Equal("ims_user", settings.Username);
        Assert.Equal("s3cret;with=separators", settings.Password);
        Assert.Equal("ims", settings.SearchPath);
        Assert.Equal(5, settings.MinPoolSize);
        Assert.Equal(15, settings.MaxPoolSize);
        Assert.Equal(30, settings.Timeout);
    }

    [Fact]
    public void ConnectionStringWinsOverVariables()
    {
        var settings = Resolve(new(SeedVariables) { ["ConnectionStrings:imsdb"] = "Host=aspire-host;Database=from_aspire" });

        Assert.Equal("aspire-host", settings.Host);
        Assert.Equal("from_aspire", settings.Database);
    }

    [Fact]
    public void PoolSizeAloneAddsSqlAlchemysDefaultOverflow()
    {
        var settings = Resolve(new() { ["DATABASE_HOST"] = "h", ["DATABASE_POOL_SIZE"] = "8" });

        Assert.Equal(8, settings.MinPoolSize);
        Assert.Equal(18, settings.MaxPoolSize);
    }

    [Fact]
    public void OverflowAloneUsesSqlAlchemysDefaultPoolSize()
    {
        var settings = Resolve(new() { ["DATABASE_HOST"] = "h", ["DATABASE_MAX_OVERFLOW"] = "0" });

        Assert.Equal(5, settings.MinPoolSize);
        Assert.Equal(5, settings.MaxPoolSize);
    }

    [Fact]
    public void WithoutPoolVariablesNpgsqlDefaultsStay()
    {
        var defaults = new NpgsqlConnectionStringBuilder();

        var settings = Resolve(new() { ["DATABASE_HOST"] = "h" });

        Assert.Equal(defaults.MinPoolSize, settings.MinPoolSize);
        Assert.Equal(defaults.MaxPoolSize, settings.MaxPoolSize);
        Assert.Equal(NpgsqlConnection.DefaultPort, settings.Port);
        Assert.Equal("ims_crawler", settings.Database);
    }

    [Fact]
    public void NeitherWayConfiguredNamesBoth()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Resolve([]));

        Assert.Contains("ConnectionStrings:imsdb", exception.Message);
        Assert.Contains("ConnectionStrings__imsdb", exception.Message);
        Assert.Contains("DATABASE_HOST", exception.Message);
    }

    [Fact]
    public void MalformedNumberNamesTheVariable()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            Resolve(new() { ["DATABASE_HOST"] = "h", ["DATABASE_POOL_TIMEOUT"] = "30s" }));

        Assert.Contains("DATABASE_POOL_TIMEOUT", exception.Message);
        Assert.Contains("'30s'", exception.Message);
    }

    private static NpgsqlConnectionStringBuilder Resolve(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new NpgsqlConnectionStringBuilder(ImsDatabaseConnection.Resolve(configuration));
    }
}
