using System.Diagnostics;
using System.Globalization;

namespace ImsCrawler.Benchmarks.Startup;

/// <summary>
/// `startup`: how long `dotnet run --project ImsCrawler.AppHost` on a built tree takes until <c>GET /api/status</c>
/// answers, N times, each start stopped with SIGINT (as Ctrl+C) before the next.
/// <code>dotnet run -c Release --project bench/ImsCrawler.Benchmarks -- startup [--runs 5] [--no-build]</code>
/// Run it from the repository root with nothing else on ports 5180, 15080 and 55432.
/// </summary>
public static class StartupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Array.IndexOf(args, "--runs") is var i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 5;
        var noBuild = args.Contains("--no-build");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var times = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            using var apphost = Process.Start(new ProcessStartInfo("dotnet",
                ["run", "--project", "ImsCrawler.AppHost", .. noBuild ? new[] { "--no-build" } : []])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            apphost.OutputDataReceived += (_, _) => { };
            apphost.ErrorDataReceived += (_, _) => { };
            apphost.BeginOutputReadLine();
            apphost.BeginErrorReadLine();
            while (!await AnswersAsync(http) && clock.Elapsed < TimeSpan.FromMinutes(3) && !apphost.HasExited)
                await Task.Delay(100);
            var seconds = clock.Elapsed.TotalSeconds;
            times.Add(seconds);
            Console.WriteLine($"run {run}: GET /api/status answered after {seconds:0.0} s");
            await StopAsync(apphost);
        }
        var sorted = times.Order().ToArray();
        Console.WriteLine($"| runs | median s | min s | max s |\n|---:|---:|---:|---:|\n| {runs} | {sorted[sorted.Length / 2]:0.0} | {sorted[0]:0.0} | {sorted[^1]:0.0} |");
        return 0;
    }

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("http://localhost:5180/api/status")).IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    // SIGINT to the AppHost itself, as Ctrl+C does; then wait until its services are gone before the next start.
    private static async Task StopAsync(Process dotnetRun)
    {
        foreach (var process in Process.GetProcessesByName("ImsCrawler.AppHost"))
            Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        await dotnetRun.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var i = 0; i < 100 && await AnswersAsync(http); i++)
            await Task.Delay(200);
        await Task.Delay(TimeSpan.FromSeconds(3)); // DCP stops postgres and the services after the AppHost exits
    }
}
