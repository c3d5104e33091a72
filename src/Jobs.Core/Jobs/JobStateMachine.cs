namespace Jobs.Core.Jobs;

/// <summary>
/// The transitions of a job's lifecycle as data (docs/design.md, "Job lifecycle"). The store enforces each one with a
/// conditional UPDATE; this class is what callers (the API's 409s, the UI's buttons) ask before they try.
/// </summary>
public static class JobStateMachine
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        [JobStatus.Pending] = [JobStatus.Processing, JobStatus.Cancelled],
        [JobStatus.Processing] = [JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled, JobStatus.Pending],
        [JobStatus.Completed] = [],
        [JobStatus.Failed] = [JobStatus.Pending],
        [JobStatus.Cancelled] = [JobStatus.Pending],
    };

    public static bool CanTransition(string from, string to) =>
        Allowed.TryGetValue(from, out var targets) && targets.Contains(to);

    /// <summary>A pending job is cancelled at once; a processing one is asked to stop. A second request changes nothing.</summary>
    public static bool CanCancel(string status, bool cancelAlreadyRequested) =>
        status == JobStatus.Pending || (status == JobStatus.Processing && !cancelAlreadyRequested);

    /// <summary>Manual retry is for jobs that ended without success.</summary>
    public static bool CanRetry(string status) => status is JobStatus.Failed or JobStatus.Cancelled;
}
