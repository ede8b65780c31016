namespace ImsCrawler.EndToEnd.Tests;

/// <summary>Finds PostgreSQL servers by the data directory on their command line (Linux /proc).</summary>
public static class PostgresProcesses
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static IReadOnlyList<int> Using(string dataDirectory) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid).Contains(dataDirectory, StringComparison.Ordinal))
            .ToList();

    /// <summary>Waits for the servers to exit (DCP stops them asynchronously) and fails if any outlives the timeout.</summary>
    public static async Task WaitUntilNoneUseAsync(string dataDirectory, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Using(dataDirectory) is { Count: > 0 } survivors)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL processes {string.Join(", ", survivors)} still use {dataDirectory} {timeout.TotalSeconds:0} s after the app stopped.");
            }

            await Task.Delay(PollInterval);
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            // Arguments are NUL-separated.
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
