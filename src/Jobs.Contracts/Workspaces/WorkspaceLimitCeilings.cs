namespace Jobs.Contracts.Workspaces;

/// <summary>
/// The operator's ceilings on the limits that guard capacity every workspace shares: worker slots, the API, the
/// database. A workspace admin sets these limits anywhere up to them, never above; a stored value above a (lowered)
/// ceiling is brought down to it. The subscribe batching limits have no ceiling: they pace only the workspace's own
/// downstream provider.
/// </summary>
public sealed record WorkspaceLimitCeilings(int MaxConcurrentJobs, int MaxBatchItems, int BulkJobsPerHour, int RequestsPerMinute);
