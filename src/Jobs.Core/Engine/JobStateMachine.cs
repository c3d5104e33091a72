using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine;

/// <summary>
/// Which of a job's user-facing commands apply to it now (docs/design.md, "Job lifecycle"): what the API's job views
/// and the UI's buttons offer. The store enforces every transition itself with a conditional UPDATE.
/// </summary>
public static class JobStateMachine
{
    /// <summary>A pending job is cancelled at once; a processing one is asked to stop. A second request changes nothing.</summary>
    public static bool CanCancel(string status, bool cancelAlreadyRequested) =>
        status == JobStatus.Pending || (status == JobStatus.Processing && !cancelAlreadyRequested);

    /// <summary>Manual retry is for jobs that ended without success.</summary>
    public static bool CanRetry(string status) => status is JobStatus.Failed or JobStatus.Cancelled;
}
