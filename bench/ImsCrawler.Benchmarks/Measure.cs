using System.Diagnostics;
using System.Globalization;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Benchmarks;

/// <summary>Percentile timing of a piece of work, and what every mode prints and parses the same way.</summary>
internal static class Measure
{
    public sealed record Timing(double P50, double P95, double P99);

    /// <summary>Runs <paramref name="work"/> <paramref name="warmup"/> times untimed, then <paramref name="runs"/> times timed.</summary>
    public static async Task<Timing> TimeAsync(int runs, Func<Task> work, int warmup)
    {
        for (var i = 0; i < warmup; i++)
            await work();
        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await work();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(samples);
        return new Timing(Percentile(samples, 50), Percentile(samples, 95), Percentile(samples, 99));
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0-100) of ascending <paramref name="sorted"/>; 0 when empty.</summary>
    public static double Percentile(double[] sorted, int p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static int Arg(string[] args, string name, int fallback) =>
        ArgText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static string? ArgText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The server to measure on: the one IMS_BENCH_CONNECTION names (a superuser connection string), else a throwaway local cluster.</summary>
    public static Task<PostgresServer> ServerAsync()
    {
        if (Environment.GetEnvironmentVariable("IMS_BENCH_CONNECTION") is { Length: > 0 } external)
            Environment.SetEnvironmentVariable(PostgresServer.ConnectionVariable, external);
        return PostgresServer.GetAsync();
    }
}
