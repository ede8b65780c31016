namespace ImsCrawler.TestSupport;

/// <summary>
/// Passwords the test template gives the services' own logins (sql/17), so the Api and Jobs tests run as they do
/// in production: as ims_api_login and ims_jobs_login, never as the owner.
/// </summary>
public static class ServiceLogins
{
    public const string ApiRole = "ims_api_login";
    public const string ApiPassword = "test-api-Pa55";
    public const string JobsRole = "ims_jobs_login";
    public const string JobsPassword = "test-jobs-Pa55";
}
