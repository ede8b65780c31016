using System.Net;
using System.Text.Json;
using ImsCrawler.Api.Tests.Infrastructure;

namespace ImsCrawler.Api.Tests.Analytics;

/// <summary>Analytics ranges whose default arithmetic would leave the calendar (before year 1, after 9999) are answered.</summary>
public sealed class CalendarEdgeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/analytics/daily?to=0001-01-01", "0001-01-01", "0001-01-01")]
    [InlineData("/api/analytics/daily?to=0001-01-10", "0001-01-01", "0001-01-10")]
    [InlineData("/api/analytics/daily?from=9999-12-01&to=9999-12-31", "9999-12-01", "9999-12-31")]
    [InlineData("/api/analytics/monthly?to=9999-12", "9999-01-01", "9999-12-31")]
    [InlineData("/api/analytics/monthly?to=0001-01", "0001-01-01", "0001-01-31")]
    [InlineData("/api/analytics/monthly?from=0001-01&to=0001-03", "0001-01-01", "0001-03-31")]
    public async Task Ranges_at_the_calendars_edges_are_answered(string url, string from, string to)
    {
        using var client = api.CreateClient(await api.CreateUserAsync("admin"));

        var page = JsonDocument.Parse(await (await client.GetAsync(url)).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal((from, to), (page.GetProperty("from").GetString(), page.GetProperty("to").GetString()));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("user")]
    public async Task Daily_sessions_at_the_calendars_edges_are_answered(string role)
    {
        using var client = api.CreateClient(await api.CreateUserAsync(role));

        foreach (var url in new[] { "/api/analytics/daily-sessions?to=0001-01-01", "/api/analytics/daily-sessions?from=9999-12-01&to=9999-12-31" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_month_range_past_twelve_months_at_the_edge_is_a_400()
    {
        using var client = api.CreateClient(await api.CreateUserAsync("admin"));

        await (await client.GetAsync("/api/analytics/monthly?from=9998-01&to=9999-12")).AssertValidationProblemAsync("to");
    }
}
