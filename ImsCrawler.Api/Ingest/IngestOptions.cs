namespace ImsCrawler.Api.Ingest;

/// <summary>Limits and interpretation of ingest batches (configuration section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Most crawled issues one request may carry (more → 413).</summary>
    public int MaxItems { get; set; } = 1000;

    /// <summary>Most bytes one request body may have (more → 413).</summary>
    public long MaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>IANA zone the crawler's zone-less dates are read in (IMS server local time).</summary>
    public string TimeZone { get; set; } = "Asia/Seoul";
}
