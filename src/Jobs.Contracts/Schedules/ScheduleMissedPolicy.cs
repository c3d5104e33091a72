namespace Jobs.Contracts.Schedules;

/// <summary>What a schedule does after downtime: its <c>missedPolicy</c>, the values of <c>schedules.missed_policy</c>.</summary>
public static class ScheduleMissedPolicy
{
    /// <summary>One job for the latest missed tick (the default).</summary>
    public const string RunOnce = "runOnce";

    /// <summary>No job for missed ticks; the schedule waits for its next one.</summary>
    public const string Skip = "skip";

    public static IReadOnlyList<string> All { get; } = [RunOnce, Skip];
}
