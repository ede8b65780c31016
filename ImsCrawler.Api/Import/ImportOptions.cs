namespace ImsCrawler.Api.Import;

/// <summary>The command line of <c>import &lt;folder&gt; --user &lt;name&gt; [--product p] [--query q] [--batch-size n]</c>.</summary>
public sealed record ImportOptions(string Folder, string User, string? Product, string? Query, int BatchSize)
{
    public const int DefaultBatchSize = 200;

    public const string Usage = """
        Usage: dotnet run --project ImsCrawler.Api -- import <session-folder> --user <username> [--product <product>] [--query <query>] [--batch-size <n>]

        Loads a session folder the crawler left on disk (one <issue_id>_<timestamp>.json per issue; the
        attachments/ subfolder is not read) as ONE crawl session of <username>, through the API's ingest path.
        --product and --query default to the folder name's parts (<Product>_<keywords>_<timestamp>).
        The database comes from ConnectionStrings:imsdb (env ConnectionStrings__imsdb) or DATABASE_* variables.
        """;

    /// <summary>The options, or the message that says what is wrong with the command line.</summary>
    public static (ImportOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        try
        {
            return ParseOrThrow(args);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
    }

    private static (ImportOptions? Options, string? Error) ParseOrThrow(IReadOnlyList<string> args)
    {
        string? folder = null, user = null, product = null, query = null;
        var batchSize = DefaultBatchSize;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (arg)
            {
                case "--help" or "-h":
                    return (null, "");
                case "--user" or "-u":
                    user = Value() ?? throw Missing(arg);
                    break;
                case "--product" or "-p":
                    product = Value() ?? throw Missing(arg);
                    break;
                case "--query" or "-q":
                    query = Value() ?? throw Missing(arg);
                    break;
                case "--batch-size":
                    if (!int.TryParse(Value(), out batchSize) || batchSize < 1)
                        return (null, "--batch-size needs a positive whole number.");
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                        return (null, $"Unknown option '{arg}'.");
                    if (folder is not null)
                        return (null, $"Only one folder can be imported at a time ('{folder}', then '{arg}').");
                    folder = arg;
                    break;
            }
        }
        if (folder is null)
            return (null, "Name the session folder to import.");
        if (string.IsNullOrWhiteSpace(user))
            return (null, "Name the user the session belongs to: --user <username>.");
        return (new ImportOptions(folder, user, product, query, batchSize), null);
    }

    private static ArgumentException Missing(string option) => new($"{option} needs a value.");
}
