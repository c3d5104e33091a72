namespace Jobs.Web.Api;

/// <summary>
/// <c>GET /api/workspace/bulk-jobs</c>: the caller's bulk jobs in the sliding hour, against the workspace's limit per
/// user, and when the oldest of them leaves the hour (null when none counts).
/// </summary>
public sealed record BulkJobsView(int Limit, int Used, int Remaining, DateTimeOffset? NextFreeAt);
