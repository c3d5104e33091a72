using Jobs.Contracts.Schedules;
using Jobs.Core.Engine.Schedules;
using Jobs.Cron;

namespace Jobs.Core.Tests;

public sealed class ScheduleCronTests
{
    private static readonly TimeSpan MissedAfter = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("*/15 * * * *")]
    [InlineData("*/10 * * * * *")]
    [InlineData("@daily")]
    public void TryParse_AcceptsFiveOrSixFieldsAndMacros(string cron) =>
        ScheduleCron.TryParse(cron, "UTC", out _, out _).ShouldNotBeNull();

    [Theory]
    [InlineData("* * * *", "must have 5 fields")]
    [InlineData("* * * * * * *", "has 7")]
    [InlineData("61 * * * *", "is not a valid cron expression")]
    [InlineData("", "is required")]
    public void TryParse_SaysWhatIsWrongWithTheExpression(string cron, string message)
    {
        ScheduleCron.TryParse(cron, "UTC", out var cronError, out var zoneError).ShouldBeNull();
        cronError.ShouldNotBeNull().ShouldContain(message);
        zoneError.ShouldBeNull();
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    public void TryParse_RefusesUnknownZones(string zone)
    {
        ScheduleCron.TryParse("* * * * *", zone, out var cronError, out var zoneError).ShouldBeNull();
        cronError.ShouldBeNull();
        zoneError.ShouldNotBeNull();
    }

    [Fact]
    public void Occurrences_AreInTheSchedulesZone()
    {
        var cron = ScheduleCron.Parse("0 9 * * 1-5", "Europe/Berlin");
        // Friday 2026-01-02 12:00 UTC: next are Monday 5th and Tuesday 6th, at 09:00 Berlin (08:00 UTC in winter).
        var runs = cron.Occurrences(Utc(2026, 1, 2, 12, 0), 2);
        runs.ShouldBe([Utc(2026, 1, 5, 8, 0), Utc(2026, 1, 6, 8, 0)]);
    }

    [Fact]
    public void Occurrences_FollowDaylightSavingTime()
    {
        // Berlin moves from +01:00 to +02:00 on 2026-03-29 at 02:00: 09:00 local is 08:00 UTC before, 07:00 UTC after.
        var cron = ScheduleCron.Parse("0 9 * * *", "Europe/Berlin");
        cron.Occurrences(Utc(2026, 3, 28, 0, 0), 2).ShouldBe([Utc(2026, 3, 28, 8, 0), Utc(2026, 3, 29, 7, 0)]);
    }

    [Fact]
    public void Occurrences_ATimeSkippedByTheClockChange_RunsAtTheChange()
    {
        // 02:30 does not exist in Berlin on 2026-03-29: Cronos runs it at 03:00 local (01:00 UTC).
        var cron = ScheduleCron.Parse("30 2 * * *", "Europe/Berlin");
        cron.Occurrences(Utc(2026, 3, 29, 0, 0), 1).ShouldBe([Utc(2026, 3, 29, 1, 0)]);
    }

    [Fact]
    public void Decide_OnTime_FiresTheTickAndWaitsForTheNext()
    {
        var cron = ScheduleCron.Parse("*/15 * * * *", "UTC");
        var tick = cron.Decide(Utc(2026, 1, 1, 10, 15), Utc(2026, 1, 1, 10, 15, 1), ScheduleMissedPolicy.RunOnce, MissedAfter);
        tick.ShouldBe(new ScheduleTick(Utc(2026, 1, 1, 10, 15), Utc(2026, 1, 1, 10, 30)));
    }

    [Fact]
    public void Decide_AfterDowntime_RunOnceFiresOnlyTheLatestMissedTick()
    {
        var cron = ScheduleCron.Parse("*/15 * * * *", "UTC");
        var tick = cron.Decide(Utc(2026, 1, 1, 10, 15), Utc(2026, 1, 1, 13, 20), ScheduleMissedPolicy.RunOnce, MissedAfter);
        tick.ShouldBe(new ScheduleTick(Utc(2026, 1, 1, 13, 15), Utc(2026, 1, 1, 13, 30)));
    }

    [Fact]
    public void Decide_AfterDowntime_SkipFiresNothing()
    {
        var cron = ScheduleCron.Parse("*/15 * * * *", "UTC");
        var tick = cron.Decide(Utc(2026, 1, 1, 10, 15), Utc(2026, 1, 1, 13, 20), ScheduleMissedPolicy.Skip, MissedAfter);
        tick.ShouldBe(new ScheduleTick(null, Utc(2026, 1, 1, 13, 30)));
    }

    [Fact]
    public void Decide_SkipStillFiresATickThatIsOnlyALittleLate()
    {
        var cron = ScheduleCron.Parse("*/15 * * * *", "UTC");
        var tick = cron.Decide(Utc(2026, 1, 1, 10, 15), Utc(2026, 1, 1, 10, 15, 20), ScheduleMissedPolicy.Skip, MissedAfter);
        tick.FireAt.ShouldBe(Utc(2026, 1, 1, 10, 15));
    }

    [Fact]
    public void Decide_AStoredTickAfterTheLatestOccurrence_FiresNothing()
    {
        // The expression was changed since next_run_at was computed: its latest occurrence is before the stored tick.
        var cron = ScheduleCron.Parse("0 0 * * *", "UTC");
        var tick = cron.Decide(Utc(2026, 1, 1, 10, 15), Utc(2026, 1, 1, 10, 16), ScheduleMissedPolicy.RunOnce, MissedAfter);
        tick.ShouldBe(new ScheduleTick(null, Utc(2026, 1, 2, 0, 0)));
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);
}
