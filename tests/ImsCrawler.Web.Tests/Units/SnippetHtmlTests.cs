using ImsCrawler.Web.Display;

namespace ImsCrawler.Web.Tests.Units;

public sealed class SnippetHtmlTests
{
    [Theory]
    [InlineData("배치 <mark>타임아웃</mark> 발생", "배치 <mark>타임아웃</mark> 발생")]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>", "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>")]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("<mark onclick=\"x()\">a</mark>", "&lt;mark onclick=&quot;x()&quot;&gt;a")]
    [InlineData("<MARK>a</MARK> b", "<mark>a</mark> b")]
    [InlineData("<mark>open only", "<mark>open only</mark>")]
    [InlineData("close</mark> only", "close only")]
    [InlineData("<mark><mark>a</mark></mark>", "<mark>a</mark>")]
    [InlineData("a &amp; b &#39;c&#39; &quot;d&quot;", "a &amp; b &#39;c&#39; &quot;d&quot;")]
    [InlineData("&lt;img src=x onerror=alert(1)&gt;", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("", "")]
    public void Only_mark_passes_everything_else_is_escaped(string apiHtml, string expected) =>
        Assert.Equal(expected, SnippetHtml.Sanitize(apiHtml).Value);
}
