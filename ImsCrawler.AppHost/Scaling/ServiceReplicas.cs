using Microsoft.Extensions.Configuration;

namespace ImsCrawler.AppHost.Scaling;

/// <summary>
/// <c>Api:Replicas</c> and <c>Jobs:Replicas</c> (default 1): how many processes of a service run behind its one
/// endpoint. Safe because the api keeps no state between requests (the first admin key is made under an advisory
/// lock) and each job run takes the job's advisory lock.
/// </summary>
public static class ServiceReplicas
{
    public const string ApiKey = "Api:Replicas";
    public const string JobsKey = "Jobs:Replicas";
    public const int Maximum = 16;

    public static int FromConfiguration(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return 1;
        return int.TryParse(text, out var count) && count is >= 1 and <= Maximum
            ? count
            : throw new InvalidOperationException($"{key} must be a number of replicas from 1 to {Maximum}; it is '{text}'.");
    }

    /// <summary>Runs the number of replicas that <paramref name="key"/> configures (one unless set).</summary>
    public static IResourceBuilder<ProjectResource> WithConfiguredReplicas(this IResourceBuilder<ProjectResource> service, string key)
    {
        var count = FromConfiguration(service.ApplicationBuilder.Configuration, key);
        return count > 1 ? service.WithReplicas(count) : service;
    }
}
