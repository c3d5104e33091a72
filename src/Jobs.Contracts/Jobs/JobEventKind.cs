namespace Jobs.Contracts.Jobs;

/// <summary>
/// The kinds of a job's timeline events (<see cref="JobEventResponse.Kind"/>, <c>job_events.kind</c>). The store's SQL writes them as literals; C# that compares a kind (the UI's
/// timeline) uses these names.
/// </summary>
public static class JobEventKind
{
    public const string Created = "created";
    public const string Started = "started";
    public const string Stage = "stage";
    public const string Completed = "completed";
    public const string RetryScheduled = "retry_scheduled";
    public const string Failed = "failed";
    public const string CancelRequested = "cancel_requested";
    public const string Cancelled = "cancelled";
    public const string Retried = "retried";
    public const string LeaseExpired = "lease_expired";
    public const string HandedBack = "handed_back";

    /// <summary>The last of the job's dependencies finished: it is due now (docs/design.md, "Dependencies").</summary>
    public const string DependenciesMet = "dependencies_met";
}
