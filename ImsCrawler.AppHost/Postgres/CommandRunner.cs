using System.Diagnostics;
using System.Text;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>Runs a short-lived command and captures what it prints.</summary>
public static class CommandRunner
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string Output);

    public static async Task<string> RunAsync(string command, IEnumerable<string> arguments, string? standardInput = null,
        CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await TryRunAsync(command, arguments, standardInput, cancellationToken, environment);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"'{command} {string.Join(' ', arguments)}' exited with code {result.ExitCode}: {result.Output.Trim()}");
    }

    /// <param name="environment">Variables added to the command's environment (e.g. PGPASSWORD, which a command line would show to everyone).</param>
    public static async Task<Result> TryRunAsync(string command, IEnumerable<string> arguments, string? standardInput = null,
        CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start '{command}'.");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);

        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        output.Append(await stdout).Append(await stderr);
        return new Result(process.ExitCode, output.ToString());
    }
}
