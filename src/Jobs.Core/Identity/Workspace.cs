namespace Jobs.Core.Identity;

/// <summary>A row of <c>workspaces</c>, with its limits (docs/design.md, "Admission, limits and fairness").</summary>
public sealed record Workspace(Guid Id, string Name, int MaxConcurrentJobs, int MaxBatchItems)
{
    public int BulkJobsPerHour { get; init; } = 10;
    public int RequestsPerMinute { get; init; } = 600;
    public int SubscribeBatchSize { get; init; } = 15;
    public int SubscribeBatchPauseMs { get; init; } = 2000;
}
