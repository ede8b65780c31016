using Cronos;

namespace ImsCrawler.Jobs.Scheduling;

/// <summary>A parsed cron expression in a time zone.</summary>
public sealed class JobSchedule(CronExpression expression, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    public static JobSchedule Parse(string cron, TimeZoneInfo zone) => new(ParseCron(cron), zone);

    /// <summary>Parses 5 fields, or 6 with seconds first; throws <see cref="CronFormatException"/> otherwise.</summary>
    public static CronExpression ParseCron(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.Parse(cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
    }

    public DateTimeOffset? NextAfter(DateTimeOffset instant) => expression.GetNextOccurrence(instant, zone);
}
