using System.Net;
using ImsCrawler.Api.Search;
using ImsCrawler.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ImsCrawler.Api.Tests.Search;

/// <summary>GET /api/search's additions (interpretedAs, totalIsEstimate, facets) and GET /api/issues/{id}/similar.</summary>
public sealed class SearchInterpretationApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<HttpClient> ClientAsync(string role = "user") => api.CreateClient(await api.CreateUserAsync(role));

    private static async Task<SearchPage> SearchAsync(HttpClient client, string query, string extra = "") =>
        await (await client.GetAsync($"/api/search?q={Uri.EscapeDataString(query)}{extra}")).ReadAsync<SearchPage>();

    [Fact]
    public async Task Intent_words_and_a_product_in_the_query_are_reported_recorded_and_find_what_the_plain_query_finds()
    {
        var code = SearchData.Code();
        var family = "Zq" + code[3..9];
        var hit = await SearchData.IssueAsync(api, $"배치 타임아웃 {code}", product: $"{family} Batch");
        await SearchData.IssueAsync(api, $"배치 타임아웃 {code}", product: "Tibero");
        var user = await api.CreateUserAsync();
        using var client = api.CreateClient(user);

        var typed = await SearchAsync(client, $"{family} 배치 타임아웃 {code} 해결 방법");
        var plain = await SearchAsync(client, $"배치 타임아웃 {code}", $"&product={family}");

        Assert.Equal([await SearchData.IssueIdAsync(api, hit)], typed.Items.Select(item => item.IssueId));
        Assert.Equal(plain.Items.Select(item => (item.IssueId, item.Rank)), typed.Items.Select(item => (item.IssueId, item.Rank)));
        Assert.Equal(($"배치 타임아웃 {code}", family, true), (typed.InterpretedAs!.Query, typed.InterpretedAs.Product, typed.InterpretedAs.ProductFromQuery));
        Assert.Equal(["해결 방법"], typed.InterpretedAs.Dropped);
        Assert.False(typed.TotalIsEstimate);
        Assert.Null(typed.Facets);
        Assert.Equal(($"배치 타임아웃 {code}", family, false), (plain.InterpretedAs!.Query, plain.InterpretedAs.Product, plain.InterpretedAs.ProductFromQuery));
        Assert.Empty(plain.InterpretedAs.Dropped);

        await api.Services.GetRequiredService<SearchRecorder>().WhenIdleAsync();   // the history is written behind the answer
        var recorded = await api.QueryAsync<(string Query, string Product, bool IntentFiltered, string Method)>(
            "select original_query, product, intent_filtered, parsing_method from ims.search_queries where user_id = @UserId order by query_id",
            new { user.UserId });
        Assert.Equal([($"{family} 배치 타임아웃 {code} 해결 방법", family, true, "api_search_nl"), ($"배치 타임아웃 {code}", family, false, "api_search")],
            recorded);
    }

    [Theory]
    [InlineData("OFCOBOL로")]
    [InlineData("TPETIME이")]
    [InlineData("SVC99で")]
    public async Task A_particle_glued_to_a_code_finds_the_bare_code(string typed)
    {
        var code = SearchData.Code();
        var bare = typed.TrimEnd('로', '이', 'で');
        var pk = await SearchData.IssueAsync(api, $"{code} job ended with {bare} in step 3");
        using var client = await ClientAsync();
        var page = await SearchAsync(client, $"{code} {typed}");
        Assert.Equal([await SearchData.IssueIdAsync(api, pk)], page.Items.Select(item => item.IssueId));
    }

    [Fact]
    public async Task Facets_count_every_match_per_family_and_status()
    {
        var code = SearchData.Code();
        await SearchData.IssueAsync(api, $"{code} a", product: "OpenFrame Batch", status: "Open");
        await SearchData.IssueAsync(api, $"{code} b", product: "OpenFrame OSC", status: "Closed");
        await SearchData.IssueAsync(api, $"{code} c", product: "Tibero", status: "Open");
        using var client = await ClientAsync("readonly");

        var page = await SearchAsync(client, code, "&facets=product,status&limit=1");
        Assert.Equal(3, page.Total);
        Assert.Single(page.Items);
        Assert.Equal(new Dictionary<string, long> { ["OpenFrame"] = 2, ["Tibero"] = 1 }, page.Facets!.Product);
        Assert.Equal(new Dictionary<string, long> { ["Open"] = 2, ["Closed"] = 1 }, page.Facets.Status);

        var statusOnly = await SearchAsync(client, code, "&facets=status&product=OpenFrame");
        Assert.Null(statusOnly.Facets!.Product);
        Assert.Equal(new Dictionary<string, long> { ["Open"] = 1, ["Closed"] = 1 }, statusOnly.Facets.Status);

        await (await client.GetAsync($"/api/search?q={code}&facets=owner")).AssertValidationProblemAsync("facets");
    }

    [Fact]
    public async Task Similar_issues_put_the_siblings_first_for_any_role()
    {
        var code = SearchData.Code();
        var marker = SearchData.Code();
        var source = await SearchData.IssueAsync(api, $"{code} abend in {marker} step", "dataset allocation failed with rc=8 in the nightly batch");
        var sibling = await SearchData.IssueAsync(api, $"{code} abend again in {marker}", "dataset allocation failed on the nightly batch run");
        var cousin = await SearchData.IssueAsync(api, $"{marker} report", "dataset allocation");
        var sourceId = await SearchData.IssueIdAsync(api, source);

        foreach (var role in new[] { "admin", "user", "readonly" })
        {
            using var client = await ClientAsync(role);
            var similar = await (await client.GetAsync($"/api/issues/{sourceId}/similar?limit=5")).ReadAsync<SimilarIssuesPage>();
            Assert.Equal(sourceId, similar.IssueId);
            Assert.Equal([await SearchData.IssueIdAsync(api, sibling), await SearchData.IssueIdAsync(api, cousin)],
                similar.Items.Take(2).Select(item => item.IssueId));
            Assert.DoesNotContain(similar.Items, item => item.IssueId == sourceId);
            Assert.Equal("title", similar.Items[0].MatchedIn);
            Assert.Contains("<mark>", similar.Items[0].Snippet);
        }

        using var user = await ClientAsync();
        await (await user.GetAsync("/api/issues/NO-SUCH-ISSUE/similar")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.GetAsync($"/api/issues/{sourceId}/similar?limit=0")).AssertValidationProblemAsync("limit");
        await (await user.GetAsync($"/api/issues/{sourceId}/similar?limit=51")).AssertValidationProblemAsync("limit");
    }
}
