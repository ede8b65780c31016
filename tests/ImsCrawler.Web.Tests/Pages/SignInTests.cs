using ImsCrawler.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ImsCrawler.Web.Tests.Pages;

[Collection(WebCollection.Name)]
public sealed class SignInTests(WebStack stack)
{
    [Fact]
    public async Task A_wrong_key_is_refused_with_a_message_and_no_session()
    {
        var page = await stack.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#api-key", "ims_this-key-does-not-exist-0000000000000000000");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#signin-submit"),
            r => r.Request.Method == "POST");

        Assert.Equal(401, response.Status);
        Assert.Contains("/signin", page.Url);
        Assert.Contains("was not accepted", await page.Locator("[role=alert]").InnerTextAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), cookie => cookie.Name == "ims-session");
        await page.GotoAsync("/dashboard");
        Assert.Contains("/signin", page.Url);
    }

    [Fact]
    public async Task A_valid_key_signs_in_and_the_key_never_reaches_the_browser()
    {
        var page = await stack.NewPageAsync();
        await page.GotoAsync("/dashboard");
        Assert.Contains("/signin?ReturnUrl=%2Fdashboard", page.Url);
        await page.FillAsync("#api-key", stack.Seed.Alice.Key);
        await page.ClickAsync("#signin-submit");
        await page.WaitForURLAsync("**/dashboard");

        Assert.Contains("앨리스 Kim", await page.Locator("header .who").InnerTextAsync());
        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, cookie => cookie.Name == "ims-session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.DoesNotContain(cookies, cookie => cookie.Value.Contains(stack.Seed.Alice.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(stack.Seed.Alice.Key, await page.ContentAsync());
        Assert.DoesNotContain(stack.Seed.Alice.Key, page.Url);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_even_for_a_copied_cookie()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        var cookies = await page.Context.CookiesAsync();

        await page.ClickAsync("header button:has-text('Sign out')");
        await page.WaitForURLAsync("**/signin?signedOut=true");
        Assert.Contains("signed out", await page.Locator("[role=status]").InnerTextAsync());

        var replay = await stack.NewPageAsync();
        await replay.Context.AddCookiesAsync(cookies.Select(cookie => new Cookie
        {
            Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path,
        }));
        await replay.GotoAsync("/dashboard");
        Assert.Contains("/signin", replay.Url);
    }

    [Fact]
    public async Task A_revoked_key_ends_the_session_with_a_message()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Carol.Key);
        await using (var connection = await stack.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "update ims.api_keys set revoked_at = now() where user_id = @id", new { id = stack.Seed.Carol.UserId });
        }

        await page.GotoAsync("/sessions");

        Assert.Contains("/signin?expired=true", page.Url);
        Assert.Contains("no longer accepted", await page.Locator("[role=status]").InnerTextAsync());
        await page.GotoAsync("/sessions");
        Assert.Contains("/signin", page.Url);
    }

    [Fact]
    public async Task A_restarted_web_keeps_people_signed_in()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);
        var cookies = await page.Context.CookiesAsync();
        await using var restarted = new WebServer(stack.Api.Url, stack.DataDirectory).Start();

        var other = await stack.NewPageAsync(baseUrl: restarted.Url);
        var host = new Uri(restarted.Url);
        await other.Context.AddCookiesAsync(cookies.Select(cookie => new Cookie
        {
            Name = cookie.Name, Value = cookie.Value, Domain = host.Host, Path = cookie.Path,
        }));
        await other.GotoAsync("/dashboard");

        Assert.EndsWith("/dashboard", other.Url);
        Assert.Contains("앨리스 Kim", await other.Locator("header .who").InnerTextAsync());
    }

    [Fact]
    public async Task Posts_without_an_antiforgery_token_are_refused()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Alice.Key);

        var signOut = await page.APIRequest.PostAsync("/signout");
        var culture = await page.APIRequest.PostAsync("/culture", new APIRequestContextOptions { Form = page.APIRequest.CreateFormData().Set("culture", "ko") });
        var signIn = await page.APIRequest.PostAsync("/signin", new APIRequestContextOptions
        {
            Form = page.APIRequest.CreateFormData().Set("_handler", "signin").Set("Key", stack.Seed.Alice.Key),
        });

        Assert.Equal(400, signOut.Status);
        Assert.Equal(400, culture.Status);
        Assert.Equal(400, signIn.Status);
        await page.GotoAsync("/dashboard");
        Assert.EndsWith("/dashboard", page.Url);
    }
}
