using System.Reflection;
using System.Text.RegularExpressions;
using ImsCrawler.Api.Ingest;

namespace ImsCrawler.Api.Tests.Ingest;

/// <summary>
/// No text the API parses can cost super-linear time: every regular expression the API declares has a match timeout
/// or runs without backtracking, and the history and size parsers take their worst inputs in stride.
/// </summary>
public sealed class LinearParsingTests
{
    public static TheoryData<string> HostileTexts() =>
    [
        new string(' ', 1 << 20),
        new string(' ', 524_288) + "a changed from" + new string(' ', 524_288) + "x",
        "Status changed from" + new string(' ', 1 << 20) + "x",
        "Status:" + new string(' ', 1 << 20) + "x",
        "a" + string.Concat(Enumerable.Repeat(" \t", 1 << 19)) + "->" + string.Concat(Enumerable.Repeat("\t ", 1 << 19)) + "b",
        "Status changed from " + string.Concat(Enumerable.Repeat(" to ", 1 << 18)),
        string.Concat(Enumerable.Repeat(" -> ", 1 << 18)),
    ];

    [Fact]
    public void Every_regex_the_api_declares_has_a_timeout_or_does_not_backtrack()
    {
        var regexes = typeof(HistoryChange).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Where(method => method.ReturnType == typeof(Regex) && method.GetParameters().Length == 0)
            .Select(method => (Name: $"{method.DeclaringType!.Name}.{method.Name}", Regex: (Regex)method.Invoke(null, null)!))
            .ToList();

        Assert.NotEmpty(regexes);
        Assert.All(regexes, found => Assert.True(
            found.Regex.MatchTimeout != Regex.InfiniteMatchTimeout || found.Regex.Options.HasFlag(RegexOptions.NonBacktracking),
            $"{found.Name} has no match timeout and may backtrack"));
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void A_megabyte_of_hostile_history_text_is_not_a_change(string text)
    {
        Assert.Null(HistoryDetails.Parse(text));
        Assert.Null(FileSizes.Parse(text));
    }

    [Fact]
    public void Details_up_to_the_parsed_length_still_parse()
    {
        var details = "Status changed from Open" + new string(' ', HistoryDetails.MaxLength - 60) + "to Closed.";

        Assert.Equal(new HistoryChange("status_change", "Status", "Open", "Closed"), HistoryDetails.Parse(details));
        Assert.Null(HistoryDetails.Parse(details + new string('!', 60)));
    }

    [Theory]
    [InlineData("9999999999999999999999999999 KB")]
    [InlineData("9223372036854775807.5")]
    [InlineData("9007199254740993 TB")]
    public void Sizes_past_bigint_are_null(string text) => Assert.Null(FileSizes.Parse(text));
}
