namespace Jobs.Contracts.Schedules;

/// <summary>The values of a schedule's <c>stoppedReason</c>: why a schedule that is not paused fires no more.</summary>
public static class ScheduleStoppedReasons
{
    /// <summary>The member it runs as was removed from the workspace; a member who edits or resumes it takes it over.</summary>
    public const string OwnerRemoved = "owner_removed";
}
