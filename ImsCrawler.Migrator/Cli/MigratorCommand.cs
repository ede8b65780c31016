using System.CommandLine;

namespace ImsCrawler.Migrator.Cli;

/// <summary>The command-line surface of the Migrator.</summary>
public sealed class MigratorCommand
{
    public Option<string> Host { get; } = new("--host") { Description = "PostgreSQL host (default: PG_HOST, else localhost)" };
    public Option<int> Port { get; } = new("--port") { Description = "PostgreSQL port (default: PG_PORT, else 5432)" };
    public Option<string> User { get; } = new("--user") { Description = "PostgreSQL user (default: PG_USER, else postgres)" };
    public Option<string> Password { get; } = new("--password") { Description = "Password (default: PGPASSWORD)" };
    public Option<string> Database { get; } = new("--database") { Description = $"Database to migrate, created when missing (default: {ConnectionResolver.DefaultDatabase})" };
    public Option<bool> SkipTablespace { get; } = new("--skip-tablespace") { Description = "Skip scripts marked '-- migrator:tablespace' (needs a superuser and a server-side directory)" };
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the scripts that would be applied and change nothing" };
    public Option<bool> Status { get; } = new("--status") { Description = "List applied scripts (name, sha256, applied_at, duration) and pending ones" };
    public Option<string> Scripts { get; } = new("--scripts") { Description = "Directory of *.sql scripts (default: the sql folder beside the binary)" };
    public Option<string> CrawlerPassword { get; } = new("--crawler-password")
    {
        Description = $"Let the existing crawler log in as ims_user with this password, or change it (default: {CrawlerPasswordVariable}; unset leaves the login as it is)",
    };
    public Option<bool> NoCrawlerLogin { get; } = new("--no-crawler-login") { Description = "Take ims_user's login away (NOLOGIN, no password)" };
    public Option<string> ApiPassword { get; } = new("--api-password")
    {
        Description = $"Let the Api log in as ims_api_login with this password, or change it (default: {ApiPasswordVariable})",
    };
    public Option<string> JobsPassword { get; } = new("--jobs-password")
    {
        Description = $"Let the Jobs service log in as ims_jobs_login with this password, or change it (default: {JobsPasswordVariable})",
    };

    public const string CrawlerPasswordVariable = "IMS_CRAWLER_DB_PASSWORD";
    public const string ApiPasswordVariable = "IMS_API_DB_PASSWORD";
    public const string JobsPasswordVariable = "IMS_JOBS_DB_PASSWORD";

    public RootCommand Root { get; }

    public MigratorCommand()
    {
        Root = new RootCommand("Applies the sql/*.sql scripts to the IMS Crawler database in file-name order, each once.")
        {
            Host, Port, User, Password, Database, SkipTablespace, DryRun, Status, Scripts, CrawlerPassword, NoCrawlerLogin, ApiPassword, JobsPassword,
        };
        Port.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[0].Value, out var port) && port is < 1 or > 65535)
                result.AddError($"--port must be between 1 and 65535, not {port}.");
        });
        Root.Validators.Add(result =>
        {
            if (result.GetResult(DryRun) is not null && result.GetResult(Status) is not null)
                result.AddError("--dry-run and --status cannot be combined.");
            if (result.GetResult(CrawlerPassword) is not null && result.GetResult(NoCrawlerLogin) is not null)
                result.AddError("--crawler-password and --no-crawler-login cannot be combined.");
        });
    }

    public static string DefaultScriptsDirectory => Path.Combine(AppContext.BaseDirectory, "sql");
}
