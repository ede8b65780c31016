using System.CommandLine;
using System.CommandLine.Help;

namespace ImsCrawler.Api.Import;

/// <summary>
/// The command line of <c>import &lt;folder&gt; --user &lt;name&gt; [--product p] [--query q] [--batch-size n] [--strict]</c>,
/// parsed with System.CommandLine as the Migrator's is.
/// </summary>
public sealed record ImportOptions(string Folder, string User, string? Product, string? Query, int BatchSize, bool Strict)
{
    public const int DefaultBatchSize = 200;

    private sealed class Command
    {
        public Argument<string> Folder { get; } = new("folder")
        {
            Description = "A session folder the crawler wrote (<Product>_<keywords>_<YYYYmmdd>_<HHMMSS>), or a flat output directory with --product and --query",
        };
        public Option<string> User { get; } = new("--user", "-u") { Description = "The user the session belongs to (an active admin or user)", Required = true };
        public Option<string> Product { get; } = new("--product", "-p") { Description = "The session's product (default: from the folder name)" };
        public Option<string> Query { get; } = new("--query", "-q") { Description = "The session's query (default: the folder name's keywords)" };
        public Option<int> BatchSize { get; } = new("--batch-size") { Description = $"Issues per transaction (default {DefaultBatchSize})", DefaultValueFactory = _ => DefaultBatchSize };
        public Option<bool> Strict { get; } = new("--strict") { Description = "Refuse the whole folder when any file has to be skipped (issue_id \"unknown\" or empty)" };

        public RootCommand Root { get; }

        public Command()
        {
            // A subcommand of the Api's executable, so that the help shows "ImsCrawler.Api import <folder> ...".
            var import = new System.CommandLine.Command("import",
                "Loads a session folder the crawler left on disk (one <issue_id>_<timestamp>.json per issue; the attachments/ " +
                "subfolder is not read) as ONE crawl session of --user, through the API's ingest path. The database comes from " +
                "ConnectionStrings:imsdb (env ConnectionStrings__imsdb) or the DATABASE_* variables.")
            {
                Folder, User, Product, Query, BatchSize, Strict,
            };
            Root = new RootCommand("IMS Crawler Api") { import };
            BatchSize.Validators.Add(result =>
            {
                if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[0].Value, out var size) && size < 1)
                    result.AddError("--batch-size needs a positive whole number.");
            });
        }
    }

    /// <summary>The options; or null with the help text (<paramref name="help"/>) or what is wrong (<paramref name="error"/>).</summary>
    public static ImportOptions? Parse(IReadOnlyList<string> args, out string? error, out string? help)
    {
        var command = new Command();
        var parsed = command.Root.Parse(["import", .. args]);
        error = help = null;
        if (parsed.Action is HelpAction)
        {
            var output = new StringWriter();
            parsed.Invoke(new InvocationConfiguration { Output = output });
            help = output.ToString();
            return null;
        }
        if (parsed.Errors.Count > 0)
        {
            error = string.Join(" ", parsed.Errors.Select(e => e.Message));
            return null;
        }
        return new ImportOptions(parsed.GetValue(command.Folder)!, parsed.GetValue(command.User)!, parsed.GetValue(command.Product),
            parsed.GetValue(command.Query), parsed.GetValue(command.BatchSize), parsed.GetValue(command.Strict));
    }

    public const string Usage =
        "Usage: dotnet run --project ImsCrawler.Api -- import <session-folder> --user <username> [--product <p>] [--query <q>] [--batch-size <n>] [--strict]";
}
