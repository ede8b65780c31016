using ImsCrawler.Web.Tests.Infrastructure;

namespace ImsCrawler.Web.Tests.Pages;

[Collection(WebCollection.Name)]
public sealed class AdminTests(WebStack stack)
{
    [Fact]
    public async Task An_admin_creates_a_user_and_a_key_and_the_new_key_signs_in()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Admin.Key);
        await page.ClickAsync("header nav a:has-text('Admin')");
        await page.ClickAsync("main a:has-text('Users and keys')");
        await page.FillAsync("#username", "dora.lee");
        await page.FillAsync("#fullname", "이도라");
        await page.SelectOptionAsync("#role", "user");
        await page.ClickAsync("main button:has-text('Create user')");
        await page.WaitForURLAsync("**/admin/users/*?created=true");

        await page.FillAsync("#key-name", "dora's laptop");
        await page.ClickAsync("main button:has-text('Create key')");
        var key = (await page.Locator("code#new-key").InnerTextAsync()).Trim();
        Assert.StartsWith("ims_", key);
        Assert.Contains("dora", await page.Locator("table").InnerTextAsync());
        await stack.ScreenshotAsync(page, "admin-new-key");

        var dora = await stack.SignedInPageAsync(key);
        Assert.Contains("이도라", await dora.Locator("header .who").InnerTextAsync());
        Assert.Equal(0, await dora.Locator("header nav a:has-text('Admin')").CountAsync());

        // Shown once: the user's page does not show it again.
        await page.GotoAsync(page.Url);
        Assert.Equal(0, await page.Locator("code#new-key").CountAsync());
        Assert.DoesNotContain(key, await page.ContentAsync());
    }

    [Fact]
    public async Task An_admin_revokes_a_key_and_deactivates_a_user_after_confirming()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Admin.Key);
        await page.GotoAsync("/admin/users");
        await page.FillAsync("#username", "eve.park");
        await page.ClickAsync("main button:has-text('Create user')");
        await page.WaitForURLAsync("**/admin/users/*?created=true");
        await page.FillAsync("#key-name", "first");
        await page.ClickAsync("main button:has-text('Create key')");
        var first = (await page.Locator("code#new-key").InnerTextAsync()).Trim();
        await page.FillAsync("#key-name", "second");
        await page.ClickAsync("main button:has-text('Create key')");
        var second = (await page.Locator("code#new-key").InnerTextAsync()).Trim();

        await page.ClickAsync("button[aria-label='Revoke key first']");
        Assert.Contains("The key was revoked", await page.Locator("[role=status]").InnerTextAsync());
        Assert.Equal(0, await page.Locator("button[aria-label='Revoke key first']").CountAsync());
        var refused = await stack.NewPageAsync();
        await refused.GotoAsync("/signin");
        await refused.FillAsync("#api-key", first);
        await refused.ClickAsync("#signin-submit");
        Assert.Contains("was not accepted", await refused.Locator("[role=alert]").InnerTextAsync());

        await page.ClickAsync("main button.danger:has-text('Deactivate')");
        Assert.Contains("/admin/users/", page.Url);
        Assert.Equal(0, await page.Locator("[role=status]:has-text('deactivated')").CountAsync());
        await page.CheckAsync("#deactivate-confirm");
        await page.ClickAsync("main button.danger:has-text('Deactivate')");
        Assert.Contains("deactivated", await page.Locator("[role=status]").InnerTextAsync());
        await refused.FillAsync("#api-key", second);
        await refused.ClickAsync("#signin-submit");
        Assert.Contains("was not accepted", await refused.Locator("[role=alert]").InnerTextAsync());
    }

    [Fact]
    public async Task Reloading_the_page_that_shows_a_new_key_creates_no_second_key()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Admin.Key);
        await page.GotoAsync("/admin/users");
        await page.FillAsync("#username", "frank.cho");
        await page.ClickAsync("main button:has-text('Create user')");
        await page.WaitForURLAsync("**/admin/users/*?created=true");
        await page.FillAsync("#key-name", "reloaded");
        await page.ClickAsync("main button:has-text('Create key')");
        var key = (await page.Locator("code#new-key").InnerTextAsync()).Trim();

        await page.ReloadAsync();

        Assert.Equal(1, await page.Locator("main table tbody tr").CountAsync());
        Assert.Equal(0, await page.Locator("code#new-key").CountAsync());
        Assert.DoesNotContain(key, await page.ContentAsync());
    }

    [Fact]
    public async Task A_readonly_user_sees_no_admin_menu_and_gets_403_on_admin_pages()
    {
        var page = await stack.SignedInPageAsync(stack.Seed.Reader.Key);
        Assert.Equal(0, await page.Locator("header nav a:has-text('Admin')").CountAsync());
        Assert.Equal(3, await page.Locator("header nav a").CountAsync());

        foreach (var path in new[] { "/admin", "/admin/users", "/admin/jobs" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            Assert.EndsWith(path, page.Url);
            Assert.Contains("403", await page.Locator("h1").InnerTextAsync());
        }
        await page.GotoAsync("/sessions");
        Assert.Equal(0, await page.Locator("a[href='/sessions/retention']").CountAsync());
    }

    [Fact]
    public async Task An_admin_asks_for_a_job_run_and_sees_the_request()
    {
        await using (var connection = await stack.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                insert into ims.job_schedules (job_name, description, schedule, time_zone, period_kind, enabled, next_run_at, updated_at)
                values ('web-test-daily', 'Aggregates a day', '0 1 * * *', 'UTC', 'day', true, now() + interval '1 hour', now()),
                       ('web-test-monthly', 'Aggregates a month', '0 2 1 * *', 'UTC', 'month', true, now() + interval '1 day', now())
                on conflict (job_name) do nothing
                """);
        }
        var page = await stack.SignedInPageAsync(stack.Seed.Admin.Key);
        await page.GotoAsync("/admin/jobs");
        var job = page.Locator("section.job", new() { HasText = "web-test-daily" });
        await job.Locator("input[type=date]").FillAsync("2024-03-01");
        await job.Locator("button:has-text('Run now')").ClickAsync();

        Assert.Contains("web-test-daily was asked to run", await page.Locator("[role=status]").InnerTextAsync());
        Assert.Contains("2024-03-01", await page.Locator("[role=status]").InnerTextAsync());

        var monthly = page.Locator("section.job", new() { HasText = "web-test-monthly" });
        await monthly.Locator("input[type=month]").FillAsync("2024-02");
        await monthly.Locator("button:has-text('Run now')").ClickAsync();
        Assert.Contains("web-test-monthly was asked to run", await page.Locator("[role=status]").InnerTextAsync());
        Assert.Contains("2024-02", await page.Locator("[role=status]").InnerTextAsync());
    }
}
