using System.CommandLine;
using System.CommandLine.Help;
using ImsCrawler.Migrator.Logins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImsCrawler.Migrator.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}

/// <summary>The Migrator's entry point, callable in process (tests pass their own writers and configuration).</summary>
public static class MigratorCli
{
    /// <param name="configuration">Source of <c>ConnectionStrings:imsdb</c> and PG_HOST/PG_PORT/PG_USER/PGPASSWORD;
    /// null means the host's configuration (environment variables, appsettings.json).</param>
    /// <returns>0 success, 1 failure, 2 bad command line.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IConfiguration? configuration = null, CancellationToken ct = default)
    {
        var command = new MigratorCommand();
        var parseResult = command.Root.Parse(args);
        if (parseResult.Action is HelpAction)
            return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, ct);
        if (parseResult.Errors.Count > 0)
            return UsageError(stderr, string.Join(" ", parseResult.Errors.Select(error => error.Message)));

        var scriptsDirectory = parseResult.GetValue(command.Scripts) ?? MigratorCommand.DefaultScriptsDirectory;
        if (!Directory.Exists(scriptsDirectory))
            return UsageError(stderr, $"Scripts directory '{scriptsDirectory}' does not exist.");

        using var host = MigratorHost.Build(stdout, stderr);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ImsCrawler.Migrator");
        string connectionString;
        try
        {
            connectionString = ConnectionResolver.Resolve(ReadConnectionOptions(command, parseResult), configuration ?? host.Services.GetRequiredService<IConfiguration>());
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return UsageError(stderr, exception.Message);
        }

        configuration ??= host.Services.GetRequiredService<IConfiguration>();
        var crawlerPassword = parseResult.GetValue(command.CrawlerPassword) ?? configuration[MigratorCommand.CrawlerPasswordVariable];
        var options = new MigrationOptions(connectionString, scriptsDirectory, parseResult.GetValue(command.SkipTablespace))
        {
            Logins =
            [
                LoginSetting.Crawler(crawlerPassword, parseResult.GetValue(command.NoCrawlerLogin)),
                LoginSetting.Api(parseResult.GetValue(command.ApiPassword) ?? configuration[MigratorCommand.ApiPasswordVariable]),
                LoginSetting.Jobs(parseResult.GetValue(command.JobsPassword) ?? configuration[MigratorCommand.JobsPasswordVariable]),
            ],
        };
        return await RunHostedAsync(host, logger, new MigrationRunner(options, logger, stdout), Mode(command, parseResult), ct);
    }

    private static async Task<int> RunHostedAsync(IHost host, ILogger logger, MigrationRunner runner, RunMode mode, CancellationToken ct)
    {
        await host.StartAsync(ct);
        // Ctrl+C stops the host; let it also cancel the run (the current script's transaction rolls back).
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct, host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        try
        {
            var result = await RunModeAsync(runner, mode, cancellation.Token);
            return result.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or InvalidOperationException or OperationCanceledException)
        {
            logger.LogError("{Error}", exception is PostgresException postgres ? Execution.ScriptFailure.Describe(postgres) : exception.Message);
            return ExitCodes.Failure;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private enum RunMode { Apply, DryRun, Status }

    private static RunMode Mode(MigratorCommand command, ParseResult parseResult) =>
        parseResult.GetValue(command.Status) ? RunMode.Status
        : parseResult.GetValue(command.DryRun) ? RunMode.DryRun
        : RunMode.Apply;

    private static Task<MigrationResult> RunModeAsync(MigrationRunner runner, RunMode mode, CancellationToken ct) => mode switch
    {
        RunMode.Status => runner.StatusAsync(ct),
        RunMode.DryRun => runner.DryRunAsync(ct),
        _ => runner.ApplyAsync(ct),
    };

    private static ConnectionOptions ReadConnectionOptions(MigratorCommand command, ParseResult parseResult) => new(
        Host: parseResult.GetValue(command.Host),
        Port: parseResult.GetResult(command.Port) is null ? null : parseResult.GetValue(command.Port),
        User: parseResult.GetValue(command.User),
        Password: parseResult.GetValue(command.Password),
        Database: parseResult.GetValue(command.Database));

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"error: {message} (see --help)");
        return ExitCodes.Usage;
    }
}
