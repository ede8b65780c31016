using ImsCrawler.Web.Tests.Infrastructure;

namespace ImsCrawler.Web.Tests.Pages;

[Collection(WebCollection.Name)]
public sealed class LanguageTests(WebStack stack)
{
    [Fact]
    public async Task The_language_follows_accept_language_and_the_switch_sticks()
    {
        var page = await stack.NewPageAsync(locale: "ko-KR");
        await page.GotoAsync("/signin");
        Assert.Equal("ko", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("로그인", await page.Locator("h1").InnerTextAsync());

        await WebStack.SignInAsync(page, stack.Seed.Alice.Key);
        Assert.Equal("이슈 검색", await page.Locator("h1").InnerTextAsync());
        await page.ClickAsync("form.languages button[value=en]");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Search issues", await page.Locator("h1").InnerTextAsync());

        await page.GotoAsync("/dashboard");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.ClickAsync("form.languages button[value=ja]");
        Assert.EndsWith("/dashboard", page.Url);
        Assert.Equal("ダッシュボード", await page.Locator("h1").InnerTextAsync());
    }
}
