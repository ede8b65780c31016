namespace ImsCrawler.Web.Localization;

/// <summary>Names the UI's texts: Text.resx (English), Text.ko.resx (Korean), Text.ja.resx (Japanese).</summary>
public sealed class Text;
