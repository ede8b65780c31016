using System.Xml.Linq;
using ImsCrawler.Web.Account;
using ImsCrawler.Web.Tests.Infrastructure;

namespace ImsCrawler.Web.Tests.Units;

public sealed class TextsTests
{
    private static readonly string Directory = Path.Combine(WebStack.RepositoryRoot(), "ImsCrawler.Web", "Localization");

    [Theory]
    [InlineData("ko")]
    [InlineData("ja")]
    public void Every_English_text_is_translated(string culture)
    {
        var english = Keys("Text.resx");
        var translated = Keys($"Text.{culture}.resx");

        Assert.Empty(english.Except(translated));
        Assert.Empty(translated.Except(english));
    }

    [Fact]
    public void Every_text_a_page_asks_for_exists()
    {
        var components = Path.Combine(WebStack.RepositoryRoot(), "ImsCrawler.Web", "Components");
        var used = System.IO.Directory.EnumerateFiles(components, "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), "L\\[\"([A-Za-z]+)\"[,\\]]")
                .Select(match => match.Groups[1].Value))
            .ToHashSet();

        Assert.Empty(used.Except(Keys("Text.resx")));
    }

    [Theory]
    [InlineData("/dashboard", "/dashboard")]
    [InlineData("/?q=a", "/?q=a")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData(null, "/")]
    public void Return_addresses_stay_on_this_site(string? url, string expected) =>
        Assert.Equal(expected, AccountEndpoints.LocalUrl(url));

    private static HashSet<string> Keys(string file) =>
        XDocument.Load(Path.Combine(Directory, file)).Root!.Elements("data").Select(data => (string)data.Attribute("name")!).ToHashSet();
}
