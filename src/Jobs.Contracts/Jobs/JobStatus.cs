namespace Jobs.Contracts.Jobs;

/// <summary>
/// The five statuses of a job (docs/design.md, "Job lifecycle") and which component moves a job out of each.
/// </summary>
public static class JobStatus
{
    /// <summary>Waiting to run. Left by a worker's claim, or by a cancel (the API).</summary>
    public const string Pending = "pending";

    /// <summary>
    /// Held by one worker under a lease. Left by that worker (completed, failed, cancelled, retry → pending,
    /// hand-back → pending) or by the maintenance leader when the lease expires.
    /// </summary>
    public const string Processing = "processing";

    /// <summary>Final. Nothing moves a job out of it.</summary>
    public const string Completed = "completed";

    /// <summary>Final unless a user retries it (the API), which makes it pending with a fresh attempt budget.</summary>
    public const string Failed = "failed";

    /// <summary>Final unless a user retries it (the API).</summary>
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Pending, Processing, Completed, Failed, Cancelled];

    public static bool IsKnown(string status) => All.Contains(status);

    public static bool IsFinal(string status) => status is Completed or Failed or Cancelled;
}
