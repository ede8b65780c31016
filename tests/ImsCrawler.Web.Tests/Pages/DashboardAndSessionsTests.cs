using ImsCrawler.Web.Tests.Infrastructure;

namespace ImsCrawler.Web.Tests.Pages;

[Collection(WebCollection.Name)]
public sealed class DashboardAndSessionsTests(WebStack stack)
{
    [Fact]
    public async Task The_dashboard_chart_has_one_bar_per_day_with_sessions()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        await page.GotoAsync("/dashboard");

        var bars = page.Locator("svg.chart-v rect.bar");
        Assert.Equal(stack.Seed.AliceSessionDays, await bars.CountAsync());
        var heights = new List<double>();
        foreach (var bar in await bars.AllAsync())
            heights.Add(double.Parse((await bar.GetAttributeAsync("height"))!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, heights.Count(h => Math.Abs(h - heights.Max() / 2) < 0.5));
        Assert.Equal("4", await page.Locator(".figures li").First.Locator(".figure").InnerTextAsync());
        Assert.Equal(1, await page.Locator("svg.chart-h rect.bar").CountAsync());
    }

    [Fact]
    public async Task My_sessions_lists_only_my_sessions_and_opens_one_with_its_issues()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        await page.GotoAsync("/sessions");

        Assert.Equal(4, await page.Locator("tbody tr").CountAsync());
        await page.ClickAsync($"a[href='/sessions/{stack.Seed.AliceSession}']");
        await page.WaitForURLAsync($"**/sessions/{stack.Seed.AliceSession}");
        Assert.Equal(1, await page.Locator($"a[href='/issues/{SeedData.KoreanIssue}']").CountAsync());

        await page.GotoAsync("/sessions?status=failed");
        Assert.Contains("No sessions", await page.Locator(".empty").InnerTextAsync());
    }

    [Fact]
    public async Task Retention_states_what_will_go_and_deletes_after_confirmation()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Bob.Key);
        await page.GotoAsync("/sessions/retention");
        await page.FillAsync("#days", "365");
        await page.ClickAsync("main button:has-text('Review')");

        var confirm = page.Locator("section.confirm");
        Assert.Contains("1 sessions of you started before", await confirm.InnerTextAsync());
        Assert.Contains("cannot be undone", await confirm.InnerTextAsync());
        await page.ClickAsync("section.confirm button.danger");

        Assert.Contains("Deleted 1 sessions", await page.Locator("[role=status]").InnerTextAsync());
        await page.GotoAsync("/sessions");
        Assert.Equal(1, await page.Locator("tbody tr").CountAsync());
    }
}
