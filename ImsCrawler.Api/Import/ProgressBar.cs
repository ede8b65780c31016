namespace ImsCrawler.Api.Import;

/// <summary>A plain text progress bar, <c>[#####-----] 120/240 issues</c>, redrawn in place on a console.</summary>
public sealed class ProgressBar(TextWriter output, int total, bool inPlace, int width = 30)
{
    public static string Render(int done, int total, int width = 30)
    {
        var filled = total == 0 ? width : (int)((long)done * width / total);
        return $"[{new string('#', filled)}{new string('-', width - filled)}] {done}/{total} issues";
    }

    public void Report(int done)
    {
        if (inPlace)
            output.Write("\r" + Render(done, total, width));
        else
            output.WriteLine(Render(done, total, width));
        if (inPlace && done >= total)
            output.WriteLine();
        output.Flush();
    }
}
