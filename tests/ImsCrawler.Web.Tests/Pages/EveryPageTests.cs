using ImsCrawler.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ImsCrawler.Web.Tests.Pages;

/// <summary>
/// Every page, as the person who may see it: axe finds no serious or critical violation, the security headers are
/// there, the Content-Security-Policy blocks nothing the page needs, every POST form carries an antiforgery token.
/// A screenshot of each is saved (see <see cref="WebStack.ScreenshotDirectory"/>), with the axe summary beside them.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class EveryPageTests(WebStack stack)
{
    [Fact]
    public async Task Every_page_is_accessible_secure_and_protected_against_forgery()
    {
        var pages = new List<(string Name, string Path, string? Key, int Status)>
        {
            ("signin", "/signin", null, 200),
            ("search-home", "/", stack.Seed.Alice.Key, 200),
            ("search", "/?q=" + Uri.EscapeDataString("타임아웃이"), stack.Seed.Alice.Key, 200),
            ("search-empty", "/?q=zqnothingmatchesthis&product=Tibero", stack.Seed.Alice.Key, 200),
            ("issue", $"/issues/{SeedData.KoreanIssue}", stack.Seed.Alice.Key, 200),
            ("sessions", "/sessions", stack.Seed.Alice.Key, 200),
            ("session", $"/sessions/{stack.Seed.AliceSession}", stack.Seed.Alice.Key, 200),
            ("retention", "/sessions/retention?days=3650", stack.Seed.Alice.Key, 200),
            ("dashboard", "/dashboard", stack.Seed.Alice.Key, 200),
            ("dashboard-ko", "/dashboard", stack.Seed.Alice.Key, 200),
            ("admin", "/admin", stack.Seed.Admin.Key, 200),
            ("admin-users", "/admin/users", stack.Seed.Admin.Key, 200),
            ("admin-user", $"/admin/users/{stack.Seed.Alice.UserId}", stack.Seed.Admin.Key, 200),
            ("admin-jobs", "/admin/jobs", stack.Seed.Admin.Key, 200),
            ("admin-database", "/admin/database", stack.Seed.Admin.Key, 200),
            ("admin-audit", "/admin/audit", stack.Seed.Admin.Key, 200),
            ("forbidden", "/admin", stack.Seed.Reader.Key, 403),
            ("not-found", "/no/such/page", stack.Seed.Alice.Key, 404),
        };
        var summary = new List<string>();
        var signedIn = new Dictionary<string, IPage>();
        foreach (var (name, path, key, status) in pages)
        {
            var cacheKey = (key ?? "anonymous") + (name.EndsWith("-ko", StringComparison.Ordinal) ? "-ko" : "");
            if (!signedIn.TryGetValue(cacheKey, out var page))
            {
                page = key is null ? await stack.NewPageAsync() : await stack.SignedInPageAsync(key, locale: cacheKey.EndsWith("-ko") ? "ko-KR" : "en-US");
                signedIn[cacheKey] = page;
            }
            var violations = new List<string>();
            void OnConsole(object? sender, IConsoleMessage message)
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                    violations.Add(message.Text);
            }
            var failed = new List<string>();
            void OnResponse(object? sender, IResponse r)
            {
                if (r.Status >= 400 && r.Request.ResourceType != "document")
                    failed.Add($"{r.Status} {r.Url}");
            }
            page.Console += OnConsole;
            page.Response += OnResponse;
            var response = await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Load });
            page.Console -= OnConsole;
            page.Response -= OnResponse;
            Assert.Empty(failed);
            Assert.Equal("rgb(31, 78, 140)", await page.Locator("header.top").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

            Assert.True(status == response!.Status, $"{path}: {response.Status}");
            var headers = await response.AllHeadersAsync();
            Assert.Contains("script-src 'self'", headers["content-security-policy"]);
            Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            Assert.Equal("same-origin", headers["referrer-policy"]);
            Assert.Empty(violations);

            var postForms = await page.Locator("form[method=post]").CountAsync();
            var protectedForms = await page.Locator("form[method=post]:has(input[name=__RequestVerificationToken])").CountAsync();
            Assert.True(postForms == protectedForms, $"{path}: {postForms - protectedForms} POST forms without an antiforgery token");

            var axe = await Accessibility.AssertNoSeriousViolationsAsync(page);
            summary.Add($"{name} ({path}): HTTP {response.Status}, axe: {axe}");
            await stack.ScreenshotAsync(page, name);
        }
        await File.WriteAllLinesAsync(Path.Combine(stack.ScreenshotDirectory, "axe-summary.txt"), summary);
    }
}
