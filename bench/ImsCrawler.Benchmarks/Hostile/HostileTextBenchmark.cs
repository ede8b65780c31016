using System.Diagnostics;
using System.Globalization;
using ImsCrawler.Api.Ingest;

namespace ImsCrawler.Benchmarks.Hostile;

/// <summary>
/// Hostile-text benchmark (run by hand, not in CI). See docs/benchmarks.md, "Hostile text".
/// <code>dotnet run -c Release --project bench/ImsCrawler.Benchmarks -- hostile [--sizes 1000,4000,1048576] [--limit-seconds 30]</code>
/// With <c>--database</c>, the large-document part instead (<see cref="LargeDocumentBenchmark"/>).
/// Times the text parsers of the ingest path (history details, attachment sizes, dates) on inputs built to make
/// backtracking regular expressions explode: long runs of spaces, repeated separators, near-misses of every pattern.
/// A size is skipped for a shape once a smaller size of it took longer than the limit (it would only take longer).
/// </summary>
public static class HostileTextBenchmark
{
    private static readonly (string Name, Func<int, string> Make)[] HistoryShapes =
    [
        ("spaces", n => new string(' ', n)),
        ("field then spaces", n => "Status" + new string(' ', n)),
        ("'changed from' then spaces", n => "Status changed from" + new string(' ', n) + "x"),
        ("'changed from' then ' to ' repeated", n => "Status changed from " + Repeat(" to ", n / 4) + "."),
        ("'changed from', spaces, ' to', spaces", n => "Status changed from" + new string(' ', n / 2) + "to" + new string(' ', n / 2) + "x\n"),
        ("spaces, 'changed from', spaces", n => new string(' ', n / 2) + "a changed from" + new string(' ', n / 2) + "x"),
        ("':' then spaces, no arrow", n => "Status:" + new string(' ', n) + "x"),
        ("':' then '-' repeated", n => "Status: " + Repeat("- ", n / 2)),
        ("arrows repeated", n => Repeat(" -> ", n / 4)),
        ("'assigned to' then spaces", n => "assigned to" + new string(' ', n) + "x" + new string(' ', n / 2) + "."),
        ("spaces and tabs, no newline", n => Repeat(" \t", n / 2) + "->" + Repeat("\t ", n / 2) + "\n"),
    ];

    private static readonly (string Name, Func<int, string> Make)[] SizeShapes =
    [
        ("digits then spaces", n => "1" + new string(' ', n) + "x"),
        ("digits and commas", n => "1" + Repeat(",1", n / 2) + "x"),
        ("spaces then digits", n => new string(' ', n) + "1 KB x"),
    ];

    public static int Run(string[] args)
    {
        var sizes = Option(args, "--sizes", "250,500,1000,2000,4000,16384,1048576")
            .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var limit = TimeSpan.FromSeconds(double.Parse(Option(args, "--limit-seconds", "30"), CultureInfo.InvariantCulture));
        Console.WriteLine($"Hostile text, sizes {string.Join(", ", sizes)} characters, limit {limit.TotalSeconds} s per input");

        var worst = TimeSpan.Zero;
        var worstName = "";
        foreach (var (kind, shapes, parse) in new (string, (string, Func<int, string>)[], Action<string>)[]
                 {
                     ("HistoryDetails.Parse", HistoryShapes, text => HistoryDetails.Parse(text)),
                     ("FileSizes.Parse", SizeShapes, text => FileSizes.Parse(text)),
                 })
        {
            Console.WriteLine(kind);
            foreach (var (name, make) in shapes)
            {
                var line = $"  {name,-40}";
                foreach (var size in sizes)
                {
                    var text = make(size);
                    var clock = Stopwatch.StartNew();
                    parse(text);
                    var elapsed = clock.Elapsed;
                    line += $" {size}: {Format(elapsed)}";
                    if (elapsed > worst)
                        (worst, worstName) = (elapsed, $"{kind} '{name}' at {size} characters");
                    if (elapsed > limit)
                    {
                        line += " (larger sizes skipped)";
                        break;
                    }
                }
                Console.WriteLine(line);
            }
        }
        Console.WriteLine($"Worst: {Format(worst)} for {worstName}");
        return 0;
    }

    private static string Format(TimeSpan elapsed) =>
        elapsed.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0.000} ms");

    private static string Repeat(string unit, int count) => string.Concat(Enumerable.Repeat(unit, Math.Max(count, 1)));

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
