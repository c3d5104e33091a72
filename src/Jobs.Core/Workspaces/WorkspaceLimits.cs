namespace Jobs.Core.Workspaces;

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
    // Kept in step with the CHECK constraints of migrations 0001, 0005 and 0006 where those exist; tighter elsewhere.
    public static readonly (int Min, int Max) MaxConcurrentJobsRange = (1, 1000);
    public static readonly (int Min, int Max) MaxBatchItemsRange = (1, 1000);
    public static readonly (int Min, int Max) BulkJobsPerHourRange = (1, 100_000);
    public static readonly (int Min, int Max) RequestsPerMinuteRange = (1, 1_000_000);
    public static readonly (int Min, int Max) SubscribeBatchSizeRange = (1, 1000);
    public static readonly (int Min, int Max) SubscribeBatchPauseMsRange = (0, 600_000);

    public static WorkspaceLimits Of(Workspace workspace) => new(
        workspace.MaxConcurrentJobs,
        workspace.MaxBatchItems,
        workspace.BulkJobsPerHour,
        workspace.RequestsPerMinute,
        workspace.SubscribeBatchSize,
        workspace.SubscribeBatchPauseMs);
}
