using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Sessions;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Tests.Ingest;

namespace ImsCrawler.Api.Tests.Paging;

/// <summary>One convention for every list: <c>cursor</c> and <c>limit</c> in, <c>items</c> and <c>nextCursor</c> out.</summary>
public sealed class PagingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Job = "paging-test-job";

    // Every keyset-paged list, with its largest limit.
    private static readonly (string Path, int MaxLimit)[] Lists =
    [
        ("/api/users", 200), ("/api/sessions", 200), ("/api/audit", 500), ("/api/issues", 200), ("/api/search?q=timeout", 100),
        ($"/api/jobs/{Job}/runs", 500),
    ];

    private static string With(string path, string query) => path + (path.Contains('?') ? "&" : "?") + query;

    private async Task<HttpClient> AdminAsync()
    {
        await api.ScalarAsync<int>("""
            insert into ims.job_schedules (job_name, description, schedule, time_zone, period_kind, enabled)
            values (@Job, 'paging', '0 2 * * *', 'UTC', 'occurrence', true)
            on conflict (job_name) do nothing
            returning 1
            """, new { Job });
        return api.CreateClient(await api.CreateUserAsync("admin"));
    }

    [Fact]
    public async Task Every_list_refuses_a_cursor_that_is_not_one_of_its_own_and_a_limit_out_of_range_naming_the_parameter()
    {
        using var admin = await AdminAsync();

        foreach (var (path, maxLimit) in Lists)
        {
            await (await admin.GetAsync(With(path, "cursor=not-a-cursor"))).AssertValidationProblemAsync("cursor");
            await (await admin.GetAsync(With(path, "cursor=AQAAAAAAAAAAAAAAAA"))).AssertValidationProblemAsync("cursor");
            await (await admin.GetAsync(With(path, "limit=0"))).AssertValidationProblemAsync("limit");
            await (await admin.GetAsync(With(path, $"limit={maxLimit + 1}"))).AssertValidationProblemAsync("limit");
            await (await admin.GetAsync(With(path, $"limit={maxLimit}"))).ReadAsync<Page<object>>();
        }
    }

    [Fact]
    public async Task A_cursor_pages_on_only_in_its_own_list_with_the_same_filters()
    {
        var user = await api.CreateUserAsync();
        for (var i = 0; i < 3; i++)
            await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        using var client = api.CreateClient(user);
        var first = await (await client.GetAsync("/api/sessions?limit=2&product=OpenFrame")).ReadAsync<Page<SessionResponse>>();
        Assert.NotNull(first.NextCursor);

        var next = await (await client.GetAsync($"/api/sessions?limit=2&product=OpenFrame&cursor={first.NextCursor}"))
            .ReadAsync<Page<SessionResponse>>();
        Assert.Single(next.Items);
        await (await client.GetAsync($"/api/sessions?limit=2&product=Tibero&cursor={first.NextCursor}")).AssertValidationProblemAsync("cursor");
        await (await client.GetAsync($"/api/audit?limit=2&cursor={first.NextCursor}")).AssertValidationProblemAsync("cursor");
        await (await client.GetAsync($"/api/issues?limit=2&product=OpenFrame&cursor={first.NextCursor}")).AssertValidationProblemAsync("cursor");
    }

    [Fact]
    public async Task The_last_page_has_no_next_cursor_even_when_it_is_full()
    {
        var user = await api.CreateUserAsync();
        for (var i = 0; i < 2; i++)
            await CrawledIssues.CreateSessionAsync(api.Database, user.UserId);
        using var client = api.CreateClient(user);

        var page = await (await client.GetAsync("/api/sessions?limit=2")).ReadAsync<Page<SessionResponse>>();

        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.NextCursor);
    }
}
