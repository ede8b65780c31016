using System.Net;
using ImsCrawler.Api.Search;
using ImsCrawler.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ImsCrawler.Api.Tests.Search;

/// <summary>GET /api/search through the real app on a real database: language handling, syntax, ranking, paging, recording, bad input.</summary>
public sealed class SearchApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<SearchPage> SearchAsync(HttpClient client, string query, string extra = "")
    {
        var response = await client.GetAsync($"/api/search?q={Uri.EscapeDataString(query)}{extra}");
        return await response.ReadAsync<SearchPage>();
    }

    private async Task<HttpClient> ClientAsync(string role = "user") => api.CreateClient(await api.CreateUserAsync(role));

    [Fact]
    public async Task Korean_with_a_particle_finds_the_word_without_it_and_the_snippet_marks_it()
    {
        var code = SearchData.Code();
        var pk = await SearchData.IssueAsync(api, $"배치 작업 타임아웃 발생 {code}", "OpenFrame 배치가 멈춤");
        using var client = await ClientAsync();
        var page = await SearchAsync(client, $"타임아웃이 {code}");
        var hit = Assert.Single(page.Items);
        Assert.Equal(await SearchData.IssueIdAsync(api, pk), hit.IssueId);
        Assert.Equal("title", hit.MatchedIn);
        Assert.Contains("<mark>타임아웃</mark>", hit.Snippet);
    }

    [Fact]
    public async Task A_Japanese_substring_matches_inside_a_sentence_without_spaces()
    {
        var code = SearchData.Code();
        await SearchData.IssueAsync(api, $"Tibero issue {code}", "アプリケーションでデータベース接続エラーが発生しました");
        using var client = await ClientAsync();
        var hit = Assert.Single((await SearchAsync(client, $"接続エラー {code}")).Items);
        Assert.Equal("description", hit.MatchedIn);
        Assert.Contains("<mark>接続エラー</mark>", hit.Snippet);
        Assert.Empty((await SearchAsync(client, $"接続失敗 {code}")).Items);
    }

    [Fact]
    public async Task English_inflections_match_through_stemming_and_the_snippet_highlights_them()
    {
        var code = SearchData.Code();
        await SearchData.IssueAsync(api, $"Listener {code}", "The server refused all connections after the restart");
        using var client = await ClientAsync();
        var hit = Assert.Single((await SearchAsync(client, $"connection refusing {code}")).Items);
        Assert.Contains("<mark>connections</mark>", hit.Snippet);
        Assert.Contains("<mark>refused</mark>", hit.Snippet);
    }

    [Fact]
    public async Task Exact_codes_match_in_comments_and_attachment_text()
    {
        var code = SearchData.Code();
        var inComment = await SearchData.IssueAsync(api, $"Batch failure {code}", comments: ["first look", $"abend S0C7 in OFCOBOL{code[2..6]} step"]);
        var inAttachment = await SearchData.IssueAsync(api, $"Batch failure {code}", attachmentText: $"trace: SVC99{code[2..6]} failed with rc=8");
        using var client = await ClientAsync();

        var comment = Assert.Single((await SearchAsync(client, $"OFCOBOL{code[2..6]}")).Items);
        Assert.Equal(await SearchData.IssueIdAsync(api, inComment), comment.IssueId);
        Assert.Equal("comments", comment.MatchedIn);
        Assert.Contains($"<mark>OFCOBOL{code[2..6]}</mark>", comment.Snippet);

        var attachment = Assert.Single((await SearchAsync(client, $"SVC99{code[2..6]}")).Items);
        Assert.Equal(await SearchData.IssueIdAsync(api, inAttachment), attachment.IssueId);
        Assert.Equal("attachments", attachment.MatchedIn);
    }

    [Fact]
    public async Task Phrase_OR_and_exclusion_follow_IMS_syntax()
    {
        var code = SearchData.Code();
        var inOrder = await SearchData.IssueAsync(api, $"{code} batch timeout in step 3");
        var reversed = await SearchData.IssueAsync(api, $"{code} timeout of the batch");
        var tpetime = await SearchData.IssueAsync(api, $"{code} TPETIME on JEUS");
        using var client = await ClientAsync();
        async Task<string[]> Ids(string q) => (await SearchAsync(client, q)).Items.Select(hit => hit.IssueId).Order().ToArray();
        async Task<string[]> Expect(params long[] pks) => (await Task.WhenAll(pks.Select(pk => SearchData.IssueIdAsync(api, pk)))).Order().ToArray();

        Assert.Equal(await Expect(inOrder), await Ids($"{code} \"batch timeout\""));
        Assert.Equal(await Expect(inOrder, reversed), await Ids($"{code} batch timeout"));
        Assert.Equal(await Expect(inOrder, reversed, tpetime), await Ids($"{code} timeout OR TPETIME"));
        Assert.Equal(await Expect(reversed, tpetime), await Ids($"{code} -\"batch timeout\""));
        Assert.Equal(await Expect(reversed, tpetime), await Ids($"{code} -step"));
        Assert.Equal(await Expect(inOrder, reversed), await Ids($"+{code} -JEUS"));
    }

    [Fact]
    public async Task Product_status_priority_and_date_filters_narrow_the_hits()
    {
        var code = SearchData.Code();
        var family = await SearchData.IssueAsync(api, $"{code} one", product: "OpenFrame Batch", status: "Closed", priority: "Low",
            modified: new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        var exact = await SearchData.IssueAsync(api, $"{code} two", product: "OpenFrame", modified: new DateTime(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        await SearchData.IssueAsync(api, $"{code} three", product: "OpenFrameX");
        using var client = await ClientAsync();
        async Task<string[]> Ids(string extra) => (await SearchAsync(client, code, extra)).Items.Select(hit => hit.IssueId).Order().ToArray();

        Assert.Equal(new[] { await SearchData.IssueIdAsync(api, family), await SearchData.IssueIdAsync(api, exact) }.Order(), await Ids("&product=OpenFrame"));
        Assert.Equal([await SearchData.IssueIdAsync(api, family)], await Ids("&product=openframe%20batch&status=closed"));
        Assert.Equal([await SearchData.IssueIdAsync(api, family)], await Ids("&priority=LOW"));
        Assert.Equal([await SearchData.IssueIdAsync(api, exact)], await Ids("&from=2024-05-01&to=2024-07-01"));
        Assert.Equal(3, (await SearchAsync(client, code)).Total);
    }

    [Fact]
    public async Task A_title_hit_ranks_above_description_above_comment_above_attachment()
    {
        var code = SearchData.Code();
        var attachment = await SearchData.IssueAsync(api, "Unrelated a", attachmentText: $"found {code} in the dump");
        var comment = await SearchData.IssueAsync(api, "Unrelated b", comments: [$"saw {code} again"]);
        var description = await SearchData.IssueAsync(api, "Unrelated c", $"the {code} appears here");
        var title = await SearchData.IssueAsync(api, $"{code} in the title");
        using var client = await ClientAsync();
        var page = await SearchAsync(client, code);
        var expected = await Task.WhenAll(new[] { title, description, comment, attachment }.Select(pk => SearchData.IssueIdAsync(api, pk)));
        Assert.Equal(expected, page.Items.Select(hit => hit.IssueId));
        Assert.Equal(["title", "description", "comments", "attachments"], page.Items.Select(hit => hit.MatchedIn));
        Assert.True(page.Items.Zip(page.Items.Skip(1)).All(pair => pair.First.Rank >= pair.Second.Rank));
    }

    [Fact]
    public async Task Paging_returns_every_hit_exactly_once()
    {
        var code = SearchData.Code();
        var expected = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            // Three rank levels, many ties inside each: the cursor must break ties by issue.
            var pk = (i % 3) switch
            {
                0 => await SearchData.IssueAsync(api, $"{code} title {i}"),
                1 => await SearchData.IssueAsync(api, $"issue {i}", $"{code} in the description"),
                _ => await SearchData.IssueAsync(api, $"issue {i}", comments: [$"{code} in a comment"]),
            };
            expected.Add(await SearchData.IssueIdAsync(api, pk));
        }
        using var client = await ClientAsync();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await SearchAsync(client, code, "&limit=10" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(45, page.Total);
            seen.AddRange(page.Items.Select(hit => hit.IssueId));
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null && pages < 10);

        Assert.Equal(5, pages);
        Assert.Equal(45, seen.Count);
        Assert.Equal(expected.Order(), seen.Order());
    }

    [Fact]
    public async Task Each_search_is_recorded_once_for_the_caller_also_for_readonly_users()
    {
        var code = SearchData.Code();
        await SearchData.IssueAsync(api, $"{code} one");
        await SearchData.IssueAsync(api, $"{code} two");
        foreach (var role in new[] { "user", "readonly", "admin" })
        {
            var user = await api.CreateUserAsync(role);
            using var client = api.CreateClient(user);
            var first = await SearchAsync(client, code, "&limit=1&product=OpenFrame");
            await SearchAsync(client, code, $"&limit=1&product=OpenFrame&cursor={first.NextCursor}");   // a next page is not a new search
            await api.Services.GetRequiredService<SearchRecorder>().WhenIdleAsync();   // the history is written behind the answer

            var rows = await api.QueryAsync<(string Query, string Product, int Results, string Method)>(
                "select original_query, product, results_count, parsing_method from ims.search_queries where user_id = @UserId", new { user.UserId });
            Assert.Equal([(code, "OpenFrame", 2, "api_search")], rows);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("timeout\u0000")]
    [InlineData("time\u0007out")]
    public async Task Empty_or_control_character_queries_are_400(string q)
    {
        using var client = await ClientAsync();
        await (await client.GetAsync($"/api/search?q={Uri.EscapeDataString(q)}")).AssertValidationProblemAsync("q");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/search")).StatusCode);
    }

    [Fact]
    public async Task Too_long_queries_bad_limits_cursors_and_dates_are_400()
    {
        using var client = await ClientAsync();
        await (await client.GetAsync($"/api/search?q={new string('a', 10 * 1024)}")).AssertValidationProblemAsync("q");
        await (await client.GetAsync($"/api/search?q={new string('a', 501)}")).AssertValidationProblemAsync("q");
        await (await client.GetAsync("/api/search?q=x&limit=0")).AssertValidationProblemAsync("limit");
        await (await client.GetAsync("/api/search?q=x&limit=101")).AssertValidationProblemAsync("limit");
        await (await client.GetAsync("/api/search?q=x&cursor=not-a-cursor")).AssertValidationProblemAsync("cursor");
        await (await client.GetAsync("/api/search?q=x&from=yesterday")).AssertValidationProblemAsync("from");
        await (await client.GetAsync("/api/search?q=x&from=2024-02-01&to=2024-01-01")).AssertValidationProblemAsync("from");
        await (await client.GetAsync($"/api/search?q=x&product={new string('p', 101)}")).AssertValidationProblemAsync("product");

        // A cursor of one search does not page another.
        var code = SearchData.Code();
        await SearchData.IssueAsync(api, $"{code} a");
        await SearchData.IssueAsync(api, $"{code} b");
        var first = await SearchAsync(client, code, "&limit=1");
        await (await client.GetAsync($"/api/search?q={code}&limit=1&product=Tibero&cursor={first.NextCursor}")).AssertValidationProblemAsync("cursor");
    }

    [Theory]
    [InlineData("\"unbalanced quote")]
    [InlineData("'; DROP TABLE ims.issues; --")]
    [InlineData("1=1 OR 'a'='a'")]
    [InlineData("a:* & b | !c <-> (d")]
    [InlineData("\\\\ (((")]
    [InlineData("OR OR -")]
    [InlineData("the and of")]
    [InlineData("-timeout")]
    [InlineData("%_%")]
    public async Task Hostile_or_odd_queries_give_results_or_nothing_never_500(string q)
    {
        using var client = await ClientAsync();
        var response = await client.GetAsync($"/api/search?q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await api.ScalarAsync<long>("select count(*) from pg_tables where schemaname = 'ims' and tablename = 'issues'") == 1);
    }

    [Fact]
    public async Task Snippets_escape_html_in_the_issue_text()
    {
        var code = SearchData.Code();
        await SearchData.IssueAsync(api, "Rendering", $"<script>alert(1)</script> 타임아웃 {code} & more");
        using var client = await ClientAsync();
        // CJK snippets are cut from the raw text: markup in it comes back escaped.
        var cjk = Assert.Single((await SearchAsync(client, $"타임아웃 {code}")).Items);
        Assert.DoesNotContain("<script>", cjk.Snippet);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", cjk.Snippet);
        Assert.Contains("<mark>타임아웃</mark>", cjk.Snippet);
        // ts_headline drops tags itself; what remains is escaped too.
        var latin = Assert.Single((await SearchAsync(client, code)).Items);
        Assert.DoesNotContain("<script>", latin.Snippet);
        Assert.Contains($"<mark>{code}</mark> &amp; more", latin.Snippet);
    }

    [Fact]
    public async Task Every_role_may_search_and_no_key_is_401()
    {
        foreach (var role in new[] { "admin", "user", "readonly" })
        {
            using var client = await ClientAsync(role);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/search?q=timeout")).StatusCode);
        }
        using var anonymous = api.CreateClient();
        await (await anonymous.GetAsync("/api/search?q=timeout")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
