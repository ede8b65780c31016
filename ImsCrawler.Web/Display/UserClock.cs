using System.Globalization;

namespace ImsCrawler.Web.Display;

/// <summary>
/// Shows times in the person's own time zone: the browser tells it once (app.js writes its IANA zone into the
/// <see cref="CookieName"/> cookie); until then, or for an unknown zone, times are in UTC.
/// </summary>
public sealed class UserClock
{
    public const string CookieName = "ims-tz";

    public UserClock(IHttpContextAccessor httpContextAccessor)
    {
        var name = httpContextAccessor.HttpContext?.Request.Cookies[CookieName];
        Zone = name is { Length: > 0 and < 64 } && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    public TimeZoneInfo Zone { get; }

    public string ZoneName => Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id;

    public DateTimeOffset Local(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, Zone);

    public string Format(DateTimeOffset? value) =>
        value is { } v ? Local(v).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

    public string FormatDate(DateTimeOffset? value) =>
        value is { } v ? Local(v).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Local(clock.GetUtcNow()).DateTime);

    /// <summary>Midnight at the start of <paramref name="day"/> in the person's zone (for date filters).</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
