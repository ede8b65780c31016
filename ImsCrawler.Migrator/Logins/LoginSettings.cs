namespace ImsCrawler.Migrator.Logins;

/// <summary>What the Migrator makes of one login role after the scripts: leave it, let it log in with a password, or stop it.</summary>
public enum LoginChange { Leave, SetPassword, Disable }

/// <param name="Role">A role the scripts created (NOLOGIN by default).</param>
/// <param name="Purpose">Who logs in with it, for the log.</param>
public sealed record LoginSetting(string Role, string Purpose, LoginChange Change, string? Password = null)
{
    /// <summary>The existing Python crawler's documented login (<c>DATABASE_USER=ims_user</c>).</summary>
    public const string CrawlerRole = "ims_user";

    public static LoginSetting Crawler(string? password, bool disable) => new(
        CrawlerRole, "the existing crawler",
        disable ? LoginChange.Disable : string.IsNullOrEmpty(password) ? LoginChange.Leave : LoginChange.SetPassword,
        string.IsNullOrEmpty(password) ? null : password);
}
