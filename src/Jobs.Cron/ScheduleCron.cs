using Cronos;
using Jobs.Contracts.Schedules;

namespace Jobs.Cron;

/// <summary>
/// A schedule's cron expression in its time zone: parsing (5 fields, or 6 with seconds first), the next occurrences,
/// and which tick a due schedule fires (docs/design.md, "Schedules"). Daylight saving time is as Cronos defines it: a
/// time skipped by the clock change runs at the change, and a time that repeats runs once (an interval shorter than an
/// hour runs in both repeats).
/// </summary>
public sealed class ScheduleCron
{
    private readonly CronExpression expression;

    private ScheduleCron(CronExpression expression, TimeZoneInfo zone)
    {
        this.expression = expression;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// Parses <paramref name="cron"/> and <paramref name="timeZone"/>; on failure the errors say what is wrong with each
    /// (null when that part is fine).
    /// </summary>
    public static ScheduleCron? TryParse(string? cron, string? timeZone, out string? cronError, out string? zoneError)
    {
        var expression = ParseExpression(cron, out cronError);
        var zone = FindZone(timeZone, out zoneError);
        return expression is null || zone is null ? null : new ScheduleCron(expression, zone);
    }

    /// <summary>Parses a schedule whose expression and zone were validated when it was stored.</summary>
    public static ScheduleCron Parse(string cron, string timeZone) =>
        TryParse(cron, timeZone, out var cronError, out var zoneError)
            ?? throw new FormatException(cronError ?? zoneError);

    private static CronExpression? ParseExpression(string? cron, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(cron))
        {
            error = "is required: 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first).";
            return null;
        }

        var fields = cron.Split(' ', '\t').Count(f => f.Length > 0);
        var macro = cron.TrimStart().StartsWith('@');
        if (!macro && fields is not (5 or 6))
        {
            error = $"must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), has {fields}.";
            return null;
        }

        try
        {
            return CronExpression.Parse(cron.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            error = $"is not a valid cron expression: {ex.Message}";
            return null;
        }
    }

    private static TimeZoneInfo? FindZone(string? timeZone, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            error = "is required: an IANA time zone such as Europe/Berlin or UTC.";
            return null;
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
            if (zone.HasIanaId)
            {
                return zone;
            }
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
        }

        error = $"'{(timeZone.Length <= 60 ? timeZone : timeZone[..60] + "…")}' is not a known IANA time zone (for example Europe/Berlin, America/New_York, UTC).";
        return null;
    }

    /// <summary>The first occurrence after <paramref name="from"/> (exclusive), in UTC; null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset from) =>
        expression.GetNextOccurrence(from, Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>Up to <paramref name="count"/> occurrences from <paramref name="from"/> (inclusive), in UTC.</summary>
    public IReadOnlyList<DateTimeOffset> Occurrences(DateTimeOffset from, int count)
    {
        var list = new List<DateTimeOffset>(count);
        var next = expression.GetNextOccurrence(from, Zone, inclusive: true);
        while (next is { } at && list.Count < count)
        {
            list.Add(at.ToUniversalTime());
            next = expression.GetNextOccurrence(at, Zone, inclusive: false);
        }

        return list;
    }

    /// <summary>
    /// What a due schedule does at <paramref name="now"/> (the database's clock) when its next tick was
    /// <paramref name="nextRunAt"/>: the latest tick at or before now fires, unless it is older than
    /// <paramref name="missedAfter"/> and the policy is <see cref="ScheduleMissedPolicy.Skip"/>; the ticks before it
    /// are missed and make nothing. The schedule's next tick is then the first after now.
    /// </summary>
    public ScheduleTick Decide(DateTimeOffset nextRunAt, DateTimeOffset now, string missedPolicy, TimeSpan missedAfter)
    {
        var latest = expression.GetPreviousOccurrence(now, Zone, inclusive: true)?.ToUniversalTime();
        if (latest < nextRunAt)
        {
            // The stored tick was computed from another expression or zone (an edit racing a fire): nothing is due.
            latest = null;
        }

        var fire = latest is { } at && (missedPolicy != ScheduleMissedPolicy.Skip || now - at <= missedAfter) ? latest : null;
        return new ScheduleTick(fire, NextAfter(now));
    }
}

/// <summary>A due schedule's decision: the tick to fire (null: none, all were missed) and the next tick to wait for.</summary>
public sealed record ScheduleTick(DateTimeOffset? FireAt, DateTimeOffset? NextRunAt);
