namespace Jobs.Web.Api;

/// <summary>A workspace's limits, as <c>GET /api/workspace</c> shows them and <c>PUT /api/workspace/limits</c> takes them.</summary>
public sealed record WorkspaceLimits(
    int MaxConcurrentJobs,
    int MaxBatchItems,
    int BulkJobsPerHour,
    int RequestsPerMinute,
    int SubscribeBatchSize,
    int SubscribeBatchPauseMs);
