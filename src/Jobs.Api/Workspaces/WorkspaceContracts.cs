using Jobs.Core.Workspaces;

namespace Jobs.Api.Workspaces;

/// <summary>The caller's workspace: its limits, how much of them it uses now, and the caller's role in it.</summary>
public sealed record WorkspaceResponse(Guid Id, string Name, string Role, WorkspaceLimits Limits, WorkspaceUsage Usage);

/// <summary>All six limits; each is required, so that a client cannot reset one by leaving it out.</summary>
public sealed record SetLimitsRequest(
    int? MaxConcurrentJobs,
    int? MaxBatchItems,
    int? BulkJobsPerHour,
    int? RequestsPerMinute,
    int? SubscribeBatchSize,
    int? SubscribeBatchPauseMs);
