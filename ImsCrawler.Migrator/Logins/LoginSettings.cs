namespace ImsCrawler.Migrator.Logins;

/// <summary>What the Migrator makes of one login role after the scripts: leave it, let it log in with a password, or stop it.</summary>
public enum LoginChange { Leave, SetPassword, Disable }

/// <param name="Role">A role the scripts created (NOLOGIN until a password is given).</param>
/// <param name="Purpose">Who logs in with it, for the log.</param>
/// <param name="LoginDefaults">Settings the role gets at login (ALTER ROLE ... SET name = value); the values are SQL
/// (a list such as <c>ims, public</c> must not be quoted), so they are constants of this class, never input.</param>
public sealed record LoginSetting(string Role, string Purpose, LoginChange Change, string? Password = null,
    IReadOnlyDictionary<string, string>? LoginDefaults = null)
{
    /// <summary>The existing Python crawler's documented login (<c>DATABASE_USER=ims_user</c>).</summary>
    public const string CrawlerRole = "ims_user";
    public const string ApiRole = "ims_api_login";
    public const string JobsRole = "ims_jobs_login";

    public static LoginSetting Crawler(string? password, bool disable) => new(
        CrawlerRole, "the existing crawler",
        disable ? LoginChange.Disable : Given(password),
        NullIfEmpty(password),
        // The crawler queries unqualified table names.
        new Dictionary<string, string> { ["search_path"] = "ims, public" });

    public static LoginSetting Api(string? password) => new(ApiRole, "the Api service", Given(password), NullIfEmpty(password));

    // Every jobs connection starts as ims_jobs (17_service_logins.sql), so no job has to switch roles itself.
    public static LoginSetting Jobs(string? password) => new(JobsRole, "the Jobs service", Given(password), NullIfEmpty(password),
        new Dictionary<string, string> { ["role"] = "ims_jobs" });

    private static LoginChange Given(string? password) => string.IsNullOrEmpty(password) ? LoginChange.Leave : LoginChange.SetPassword;

    private static string? NullIfEmpty(string? password) => string.IsNullOrEmpty(password) ? null : password;
}
