using ImsCrawler.Jobs.Model;

namespace ImsCrawler.Jobs.Scheduling;

/// <summary>Every job this service can run, by name.</summary>
public sealed class JobCatalog(IEnumerable<IJob> jobs)
{
    public IReadOnlyList<IJob> Jobs { get; } = jobs.ToList();

    public IJob? Find(string name) => Jobs.FirstOrDefault(job => job.Definition.Name == name);

    public IJob Get(string name) => Find(name) ?? throw new ArgumentException($"There is no job named '{name}'.", nameof(name));
}
