using System.Text.RegularExpressions;
using Cronos;
using ImsCrawler.Jobs.Model;
using ImsCrawler.Shared.Jobs;
using Microsoft.Extensions.Options;

namespace ImsCrawler.Jobs.Scheduling;

/// <summary>Checks the <c>Jobs</c> section at start-up (ValidateOnStart): each failure names the key and the job.</summary>
public sealed partial class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var failures = new List<string>();
        ValidateTimeZone(options, failures);
        Positive(failures, "CatchUpDays", options.CatchUpDays);
        Positive(failures, "CatchUpMonths", options.CatchUpMonths);
        if (options.RequestPollInterval <= TimeSpan.Zero)
            failures.Add($"{JobsOptions.SectionName}:RequestPollInterval must be positive.");
        foreach (var job in JobDefinitions.All)
            ValidateJob(job, options.For(job), failures);
        Positive(failures, "Retention:DefaultDays", options.Retention.DefaultDays);
        Positive(failures, "Retention:UsersPerBatch", options.Retention.UsersPerBatch);
        Positive(failures, "Backup:Keep", options.Backup.Keep);
        ValidateTables(options.Vacuum, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateJob(JobDefinition job, JobOptions options, List<string> failures)
    {
        var key = $"{JobsOptions.SectionName}:{job.Section}";
        try
        {
            JobSchedule.ParseCron(options.Schedule);
        }
        catch (CronFormatException exception)
        {
            failures.Add($"{key}:Schedule '{options.Schedule}' of job {job.Name} is not a valid cron expression: {exception.Message}");
        }
        if (options.Timeout <= TimeSpan.Zero)
            failures.Add($"{key}:Timeout of job {job.Name} must be positive.");
    }

    private static void ValidateTimeZone(JobsOptions options, List<string> failures)
    {
        try
        {
            options.FindTimeZone();
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            failures.Add($"{JobsOptions.SectionName}:TimeZone '{options.TimeZone}' is not a known time zone (use an IANA id such as Asia/Seoul).");
        }
    }

    private static void ValidateTables(VacuumOptions options, List<string> failures)
    {
        foreach (var table in options.EffectiveTables.Where(table => !TableName().IsMatch(table)))
            failures.Add($"{JobsOptions.SectionName}:Vacuum:Tables: '{table}' is not a plain table name of schema ims.");
    }

    private static void Positive(List<string> failures, string key, int value)
    {
        if (value < 1)
            failures.Add($"{JobsOptions.SectionName}:{key} must be 1 or more, got {value}.");
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex TableName();
}
