using System.Diagnostics;
using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Postgres;

/// <summary>Tells whether a container engine answers right now (a docker client without a daemon does not count).</summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static bool IsAnswering(IConfiguration configuration)
    {
        // The same setting Aspire itself reads to choose between docker and podman.
        var configured = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"];
        string[] candidates = string.IsNullOrWhiteSpace(configured) ? ["docker", "podman"] : [configured];
        return candidates.Any(Answers);
    }

    private static bool Answers(string runtime)
    {
        var startInfo = new ProcessStartInfo(runtime, "info")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return false;
            }

            // Drain the pipes so a chatty 'info' cannot block on a full buffer.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();

            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false; // not installed
        }
    }
}
