namespace ImsCrawler.Web;

/// <summary>Settings of the Web (section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Where the Api is: a service-discovery name under Aspire, or a plain URL.</summary>
    public string ApiBaseAddress { get; set; } = "https+http://api";

    /// <summary>Where the Data Protection keys and the sign-in sessions are kept (persist it, or everyone signs in again).</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>How long an unused sign-in lasts (sliding: each visit extends it).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often a session's key is checked with the Api again (a revoked key ends the session).</summary>
    public TimeSpan RevalidateAfter { get; set; } = TimeSpan.FromMinutes(5);

    private static string DefaultDataDirectory()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, "ims-crawler", "web");
    }
}
