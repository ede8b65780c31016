using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ImsCrawler.Web.Tests.Infrastructure;

public static class Accessibility
{
    /// <summary>Runs axe-core on the page: no serious or critical violation. Returns a one-line summary of all findings.</summary>
    public static async Task<string> AssertNoSeriousViolationsAsync(IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe on {page.Url}:\n" + string.Join("\n", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
        var others = results.Violations.Select(v => $"{v.Id} ({v.Impact})").ToList();
        return others.Count == 0 ? "no violations" : "minor only: " + string.Join(", ", others);
    }
}
