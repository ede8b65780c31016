using ImsCrawler.Web.Tests.Infrastructure;

namespace ImsCrawler.Web.Tests.Pages;

[Collection(WebCollection.Name)]
public sealed class SearchAndIssueTests(WebStack stack)
{
    [Fact]
    public async Task A_Korean_query_with_a_particle_finds_the_issue_and_marks_the_match()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        await page.FillAsync("#q", "타임아웃이");
        await page.PressAsync("#q", "Enter");
        await page.WaitForURLAsync("**/?q=*");

        var hit = page.Locator("li.hit", new() { HasText = SeedData.KoreanIssue });
        Assert.Equal(1, await hit.CountAsync());
        Assert.Equal("배치 작업 타임아웃 발생", await hit.Locator("h3 a").InnerTextAsync());
        Assert.Equal("ko", await hit.Locator("h3 a span").GetAttributeAsync("lang"));
        var marks = await hit.Locator(".snippet mark").AllInnerTextsAsync();
        Assert.Contains(marks, mark => mark.StartsWith("타임아웃", StringComparison.Ordinal));
        Assert.Contains("q=%ED%83%80%EC%9E%84%EC%95%84%EC%9B%83%EC%9D%B4", page.Url);
        await stack.ScreenshotAsync(page, "search-results");
    }

    [Fact]
    public async Task Paging_forward_and_back_gives_the_same_hits()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        await page.GotoAsync($"/?q={SeedData.PagingWord}");
        var first = await page.Locator("li.hit .issue-id").AllInnerTextsAsync();
        Assert.Contains($"{SeedData.PagingIssues}", await page.Locator("#results-heading").InnerTextAsync());

        await page.ClickAsync("a[rel=next]");
        var second = await page.Locator("li.hit .issue-id").AllInnerTextsAsync();
        Assert.Contains("Page 2", await page.Locator("nav.pager").InnerTextAsync());
        await page.ClickAsync("a[rel=prev]");
        var again = await page.Locator("li.hit .issue-id").AllInnerTextsAsync();

        Assert.Equal(20, first.Count);
        Assert.Equal(SeedData.PagingIssues - 20, second.Count);
        Assert.Empty(first.Intersect(second));
        Assert.Equal(first, again);
        Assert.Equal(0, await page.Locator("a[rel=prev]").CountAsync());
    }

    [Fact]
    public async Task Opening_a_hit_shows_the_issue_with_its_comments_attachments_and_sessions()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        await page.GotoAsync("/?q=" + Uri.EscapeDataString("타임아웃이"));
        await page.ClickAsync($"li.hit:has-text('{SeedData.KoreanIssue}') h3 a");
        await page.WaitForURLAsync($"**/issues/{SeedData.KoreanIssue}");

        Assert.Equal("배치 작업 타임아웃 발생", await page.Locator("h1").InnerTextAsync());
        var comments = page.Locator("ol.timeline li");
        Assert.Equal(2, await comments.CountAsync());
        Assert.Contains("김지원", await comments.Nth(0).InnerTextAsync());
        Assert.Contains("Action 1", await comments.Nth(0).InnerTextAsync());
        Assert.Contains("TPETIME 값을 늘려 해결했습니다.", await comments.Nth(1).InnerTextAsync());
        Assert.Contains("batch.log", await page.Locator("ul.attachments").InnerTextAsync());
        Assert.Equal(1, await page.Locator($"a[href='/sessions/{stack.Seed.AliceSession}']").CountAsync());
        // The Api offers similar issues: the section is there, and never lists the issue itself.
        Assert.Equal(1, await page.Locator("#similar").CountAsync());
        Assert.Equal(0, await page.Locator($"#similar a[href='/issues/{SeedData.KoreanIssue}']").CountAsync());
    }

    [Fact]
    public async Task Dates_show_in_the_browsers_time_zone()
    {
        var page = await stack.NewPageAsync(timeZone: "Asia/Seoul");
        await page.GotoAsync("/signin");
        await WebStack.SignInAsync(page, stack.Seed.Alice.Key);
        await page.GotoAsync($"/issues/{SeedData.KoreanIssue}");

        var modified = page.Locator("time[datetime='2024-03-14T23:30:00Z']").First;
        Assert.Equal("2024-03-15 08:30", await modified.InnerTextAsync());
        Assert.Contains("Asia/Seoul", await page.Locator("footer").InnerTextAsync());
    }

    [Fact]
    public async Task A_script_in_an_issue_title_is_shown_as_text_and_never_runs()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await page.GotoAsync("/?q=zqxss");
        var title = page.Locator("li.hit h3 a");
        Assert.Equal(SeedData.ScriptTitle, await title.InnerTextAsync());
        Assert.Equal(0, await page.Locator("li.hit script, li.hit img, li.hit iframe").CountAsync());
        await page.ClickAsync("li.hit h3 a");
        await page.WaitForURLAsync($"**/issues/{SeedData.ScriptIssue}");
        Assert.Equal(SeedData.ScriptTitle, await page.Locator("h1").InnerTextAsync());
        Assert.Contains("<iframe", await page.Locator(".text").First.InnerTextAsync());
        Assert.Equal(0, await page.Locator("main script, main img, main iframe, main b").CountAsync());

        Assert.Null(await page.EvaluateAsync<int?>("() => window.imsXss ?? null"));
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task An_unknown_issue_is_a_404_page()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        var response = await page.GotoAsync("/issues/NO-SUCH-ISSUE");

        Assert.Equal(404, response!.Status);
        Assert.Contains("404", await page.Locator("h1").InnerTextAsync());
        Assert.EndsWith("/issues/NO-SUCH-ISSUE", page.Url);
    }

    [Fact]
    public async Task A_query_that_matches_nothing_says_what_to_try()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        await page.GotoAsync("/?q=zqnothingmatchesthis");

        Assert.Contains("0 issues match", await page.Locator("#results-heading").InnerTextAsync());
        Assert.Contains("remove the filters", await page.Locator(".empty").InnerTextAsync());
    }
}
