using ImsCrawler.Shared.Jobs;

namespace ImsCrawler.Jobs.Model;

/// <summary>One kind of maintenance work. The runner adds locking, timeout, retries and the run record.</summary>
public interface IJob
{
    JobDefinition Definition { get; }

    /// <summary>Does the work for one period. Transient database faults may retry it whole, so it must be idempotent.</summary>
    Task<JobOutcome> RunAsync(JobPeriod period, CancellationToken cancellationToken);
}

/// <summary>What a run did: rows affected (meaning per job, see docs/jobs.md) and optional details for the run record.</summary>
public sealed record JobOutcome(long? RowsAffected, object? Details = null);
