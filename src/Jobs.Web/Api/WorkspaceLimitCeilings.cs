namespace Jobs.Web.Api;

/// <summary>The platform operator's ceilings on the limits that guard shared capacity, as <c>GET /api/workspace</c> shows them.</summary>
public sealed record WorkspaceLimitCeilings(int MaxConcurrentJobs, int MaxBatchItems, int BulkJobsPerHour, int RequestsPerMinute);
