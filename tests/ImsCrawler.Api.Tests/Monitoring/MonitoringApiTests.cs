using System.Net;
using ImsCrawler.Api.Monitoring;
using ImsCrawler.Api.Tests.Infrastructure;

namespace ImsCrawler.Api.Tests.Monitoring;

public sealed class MonitoringApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Paths => new()
    {
        "/api/admin/database", "/api/admin/tables", "/api/admin/indexes", "/api/admin/connections",
        "/api/admin/slow-queries", "/api/admin/policies", "/api/admin/migrations",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Admins_only(string path)
    {
        using var admin = api.CreateClient(await api.CreateUserAsync("admin"));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        foreach (var role in new[] { "user", "readonly" })
        {
            using var client = api.CreateClient(await api.CreateUserAsync(role));
            await (await client.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        using var anonymous = api.CreateClient();
        await (await anonymous.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Figures_describe_this_database()
    {
        using var admin = api.CreateClient(await api.CreateUserAsync("admin"));
        var database = await (await admin.GetAsync("/api/admin/database")).ReadAsync<DatabaseInfo>();
        Assert.Equal(api.Database.DatabaseName, database.Database);
        Assert.True(database.SizeBytes > 0 && database.UptimeSeconds > 0);
        Assert.StartsWith("PostgreSQL", database.Version);

        var tables = await (await admin.GetAsync("/api/admin/tables")).ReadAsync<List<TableInfo>>();
        Assert.Contains(tables, t => t.Table == "issues" && t.Kind == "table");
        Assert.Contains(tables, t => t.Table == "mv_issue_trends" && t.Kind == "materialized view");

        var indexes = await (await admin.GetAsync("/api/admin/indexes")).ReadAsync<List<IndexInfo>>();
        Assert.Contains(indexes, i => i.Index == "ix_issue_search_documents_document" && i.Definition.Contains("gin"));

        var connections = await (await admin.GetAsync("/api/admin/connections")).ReadAsync<List<ConnectionInfo>>();
        Assert.NotEmpty(connections);

        var policies = await (await admin.GetAsync("/api/admin/policies")).ReadAsync<List<PolicyInfo>>();
        Assert.Contains(policies, p => p.Table == "crawl_sessions" && p.Policy == "user_own_rows" && p.Roles.Contains("ims_user"));

        var migrations = await (await admin.GetAsync("/api/admin/migrations")).ReadAsync<List<MigrationInfo>>();
        Assert.Contains(migrations, m => m.ScriptName.StartsWith("11_read_path", StringComparison.Ordinal));

        var slow = await (await admin.GetAsync("/api/admin/slow-queries")).ReadAsync<SlowQueriesResponse>();
        if (!slow.Available)
            Assert.Contains("pg_stat_statements", slow.Message);
        await (await admin.GetAsync("/api/admin/slow-queries?limit=1000")).AssertValidationProblemAsync("limit");
    }
}
