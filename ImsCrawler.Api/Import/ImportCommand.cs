using System.Diagnostics;
using System.Text.Json;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Ingest;
using Npgsql;

namespace ImsCrawler.Api.Import;

/// <summary>
/// <c>import &lt;folder&gt; --user &lt;name&gt; --product &lt;p&gt; --query &lt;q&gt;</c>: loads a session folder
/// the crawler left on disk as ONE session of that user, through the same ingest path as
/// <c>POST /api/sessions/{uuid}/issues</c> (as the user: role and RLS), in batches, with a progress
/// bar, then completes the session with its counters. Every file is read and validated before
/// anything is written: a file that is not JSON, or holds a value the database cannot store, is named
/// and nothing is imported. A file whose page the crawler could not parse (issue_id "unknown" or empty)
/// is skipped with a warning, unless <c>--strict</c> asks for all or nothing.
/// </summary>
public static class ImportCommand
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, IConfiguration? configuration = null,
        TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var options = ImportOptions.Parse(args, out var problem, out var help);
        if (options is null)
        {
            if (help is not null)
            {
                await output.WriteAsync(help);
                return Succeeded;
            }
            await error.WriteLineAsync($"error: {problem}");
            await error.WriteLineAsync(ImportOptions.Usage + " (see --help)");
            return UsageError;
        }

        configuration ??= DefaultConfiguration();
        string connectionString;
        try
        {
            connectionString = ImsDatabaseConnection.Resolve(configuration);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync(e.Message);
            return Failed;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddIngest(configuration);
        await using var provider = services.BuildServiceProvider();
        try
        {
            return await ImportAsync(options, provider.GetRequiredService<IngestService>(),
                provider.GetRequiredService<UserDatabase>(), output, error, cancellationToken);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await error.WriteLineAsync(e.Message);
            return Failed;
        }
        catch (NpgsqlException e)
        {
            await error.WriteLineAsync($"Database error: {e.Message}");
            return Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A command-line tool answers with a sentence, never a stack trace.
            await error.WriteLineAsync($"Import failed: {e.Message}");
            return Failed;
        }
    }

    private static IConfiguration DefaultConfiguration() =>
        new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production"}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();

    private static async Task<int> ImportAsync(ImportOptions options, IngestService ingest, UserDatabase database,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var folderPath = Path.GetFullPath(options.Folder);
        if (!Directory.Exists(folderPath))
        {
            await error.WriteLineAsync($"Nothing was imported: folder not found: {folderPath}");
            return Failed;
        }
        var (product, query) = Describe(folderPath, options);
        if (product is null || query is null)
        {
            await error.WriteLineAsync(
                $"Nothing was imported: give --product and --query. The folder name '{Path.GetFileName(folderPath)}' is not " +
                "<Product>_<keywords>_<YYYYmmdd>_<HHMMSS>, as the crawler names a session folder (older crawlers wrote all " +
                "crawls into one output directory, which names neither).");
            return Failed;
        }
        if (product.Length > 100)
        {
            await error.WriteLineAsync("Nothing was imported: --product is longer than 100 characters.");
            return Failed;
        }

        var (folder, errors) = SessionFolder.Read(folderPath, ingest.CreateMapper());
        if (folder is null)
        {
            await error.WriteLineAsync($"Nothing was imported from {folderPath}:");
            foreach (var message in errors)
                await error.WriteLineAsync("  " + message);
            return Failed;
        }
        if (options.Strict && folder.SkippedFiles.Count > 0)
        {
            await error.WriteLineAsync($"Nothing was imported from {folderPath} (--strict): {folder.SkippedFiles.Count} file(s) would be skipped:");
            foreach (var file in folder.SkippedFiles)
                await error.WriteLineAsync($"  {file}: issue_id is \"unknown\" or empty (the crawler could not parse the page)");
            return Failed;
        }
        if (folder.Batch.Issues.Count == 0)
        {
            await error.WriteLineAsync(
                $"Nothing was imported from {folderPath}: all {folder.SkippedFiles.Count} file(s) were skipped (issue_id \"unknown\" or empty).");
            return Failed;
        }

        // Finding the user by name needs to see every user: ims_readonly may, and can change nothing.
        // Everything after that runs as the user found.
        var owner = await database.RunAsync(DatabaseUser.RoleOnly(DatabaseUser.ReadOnly),
            session => session.FindImportingUserAsync(options.User), cancellationToken);
        if (owner is null)
        {
            await error.WriteLineAsync($"Nothing was imported: no user '{options.User}' exists.");
            return Failed;
        }
        if (!owner.IsActive || owner.Role == DatabaseUser.ReadOnly)
        {
            await error.WriteLineAsync($"Nothing was imported: user '{options.User}' {(owner.IsActive ? "is read-only" : "is not active")} and cannot own sessions.");
            return Failed;
        }
        var user = new DatabaseUser(owner.UserId, owner.Role);

        var issues = folder.Batch.Issues;
        var crawledTimes = issues.Where(i => i.CrawledAt is not null).Select(i => i.CrawledAt!.Value).ToList();
        var startedAt = crawledTimes.Count > 0 ? crawledTimes.Min() : DateTime.UtcNow;
        var completedAt = crawledTimes.Count > 0 ? crawledTimes.Max() : DateTime.UtcNow;
        var sessionUuid = Guid.NewGuid().ToString();
        var metadata = JsonSerializer.Serialize(new
        {
            source = "import",
            folder = Path.GetFileName(folderPath),
            files = folder.Files.Count,
        });
        await database.RunAsync(user,
            session => session.StartImportAsync(sessionUuid, product, query, startedAt, folderPath, metadata), cancellationToken);

        await output.WriteLineAsync($"Importing {issues.Count} issues from {folder.Files.Count} files into session {sessionUuid} of {options.User}");
        var progress = new ProgressBar(output, issues.Count, inPlace: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
        var totals = new IngestCounts(0, 0, 0, 0, 0, 0, 0);
        var warnings = folder.Warnings.ToList();
        var done = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var batch in folder.Batches(options.BatchSize))
            {
                var outcome = await ingest.IngestAsync(user, sessionUuid, batch, cancellationToken);
                if (outcome.Status != IngestStatus.Done)
                    throw new InvalidOperationException($"session {sessionUuid} became unavailable ({outcome.Status}).");
                totals = Add(totals, outcome.Counts!);
                warnings.AddRange(batch.Warnings.Select(folder.InFile)); // what the write itself found, e.g. a cut search document
                done += batch.Issues.Count;
                progress.Report(done);
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await error.WriteLineAsync($"Import failed after {done} of {issues.Count} issues: {e.Message}");
            await FinishAsync(database, user, sessionUuid, "failed", issues.Count, done, folder, completedAt, CancellationToken.None);
            await error.WriteLineAsync($"Session {sessionUuid} is marked failed; the issues written so far stay linked to it.");
            return Failed;
        }
        await FinishAsync(database, user, sessionUuid, "completed", issues.Count, done, folder, completedAt, cancellationToken);

        await output.WriteLineAsync($"Imported {done} issues into session {sessionUuid} for {options.User} (product {product}, query \"{query}\") in {clock.Elapsed.TotalSeconds:0.0} s");
        await output.WriteLineAsync($"  files: {folder.Files.Count} read, {folder.SkippedFiles.Count} skipped");
        await output.WriteLineAsync($"  issues: {totals.Inserted} inserted, {totals.Updated} updated, {totals.Unchanged} unchanged, {totals.Linked} linked");
        await output.WriteLineAsync($"  written: {totals.CommentsWritten} comments, {totals.HistoryWritten} history rows, {totals.AttachmentsWritten} attachments");
        if (warnings.Count > 0)
        {
            await output.WriteLineAsync($"  {warnings.Count} warnings:");
            foreach (var warning in warnings.Take(20))
                await output.WriteLineAsync("    " + warning);
            if (warnings.Count > 20)
                await output.WriteLineAsync($"    ... and {warnings.Count - 20} more");
        }
        return Succeeded;
    }

    private static Task FinishAsync(UserDatabase database, DatabaseUser user, string sessionUuid, string status,
        int found, int crawled, SessionFolder folder, DateTime completedAt, CancellationToken cancellationToken)
    {
        var issues = folder.Batch.Issues;
        var related = issues.Any(i => i.CrawlOrder is not null) ? issues.Count(i => i.CrawlOrder is null) : 0;
        var counters = new ImportCounters(found, crawled, related, folder.Batch.Attachments.Count(a => a.Downloaded));
        return database.RunAsync(user, session => session.FinishImportAsync(sessionUuid, status, completedAt, counters), cancellationToken);
    }

    /// <summary>--product / --query, else the parts of a folder named &lt;Product&gt;_&lt;keywords&gt;_&lt;YYYYmmdd&gt;_&lt;HHMMSS&gt;.</summary>
    private static (string? Product, string? Query) Describe(string folderPath, ImportOptions options)
    {
        var (product, query) = SessionFolder.Describe(folderPath);
        product = options.Product ?? product;
        query = options.Query ?? query;
        return (string.IsNullOrWhiteSpace(product) ? null : product, string.IsNullOrWhiteSpace(query) ? null : query);
    }

    private static IngestCounts Add(IngestCounts a, IngestCounts b) => new(
        a.Inserted + b.Inserted, a.Updated + b.Updated, a.Unchanged + b.Unchanged, a.Linked + b.Linked,
        a.CommentsWritten + b.CommentsWritten, a.HistoryWritten + b.HistoryWritten, a.AttachmentsWritten + b.AttachmentsWritten);
}
