namespace Jobs.Contracts.Workspaces;

/// <summary>
/// The limits of a workspace an admin can change, with their allowed ranges
/// (docs/design.md, "Admission, limits and fairness").
/// </summary>
public sealed record WorkspaceLimits(
    int MaxConcurrentJobs,
    int MaxBatchItems,
    int BulkJobsPerHour,
    int RequestsPerMinute,
    int SubscribeBatchSize,
    int SubscribeBatchPauseMs)
{
    /// <summary>
    /// The most hints one write gives one workspace: a submit, a worker's group commit of completions, a freed slot's
    /// refill. Hints stay within a workspace's free slots anyway, and it never has more than its concurrency limit; this
    /// is that limit's highest allowed value, so it caps one statement's work without leaving a free slot unhinted.
    /// </summary>
    public const int MaxHintsPerWorkspace = 1000;

    // Kept in step with the CHECK constraints of migrations 0001, 0005 and 0006 where those exist; tighter elsewhere.
    public static readonly (int Min, int Max) MaxConcurrentJobsRange = (1, MaxHintsPerWorkspace);
    public static readonly (int Min, int Max) MaxBatchItemsRange = (1, 1000);
    public static readonly (int Min, int Max) BulkJobsPerHourRange = (1, 100_000);
    public static readonly (int Min, int Max) RequestsPerMinuteRange = (1, 1_000_000);
    public static readonly (int Min, int Max) SubscribeBatchSizeRange = (1, 1000);
    public static readonly (int Min, int Max) SubscribeBatchPauseMsRange = (0, 600_000);
}
