namespace Jobs.Contracts.Jobs;

/// <summary>
/// The <c>message</c> of live updates that clients tell apart by it (docs/live-updates.md): written by the engine,
/// matched by the web, so both read them from here.
/// </summary>
public static class JobUpdateMessages
{
    /// <summary>A job a schedule's tick made.</summary>
    public const string SubmittedBySchedule = "submitted by schedule";

    /// <summary>A job the last of its dependencies released: due now.</summary>
    public const string DependenciesFinished = "dependencies finished";
}
