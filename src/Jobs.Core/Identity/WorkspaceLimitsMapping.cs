using Jobs.Contracts.Workspaces;

namespace Jobs.Core.Identity;

/// <summary>A workspace row's limits as the contract record (<see cref="WorkspaceLimits"/>).</summary>
public static class WorkspaceLimitsMapping
{
    extension(WorkspaceLimits)
    {
        public static WorkspaceLimits Of(Workspace workspace) => new(
            workspace.MaxConcurrentJobs,
            workspace.MaxBatchItems,
            workspace.BulkJobsPerHour,
            workspace.RequestsPerMinute,
            workspace.SubscribeBatchSize,
            workspace.SubscribeBatchPauseMs);
    }
}
