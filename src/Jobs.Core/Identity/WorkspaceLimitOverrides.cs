namespace Jobs.Core.Identity;

/// <summary>
/// Some of a workspace's limits, set without touching the others (null: left as stored), as Development's
/// configuration overrides them for the benchmarks and the browser tests.
/// </summary>
public sealed record WorkspaceLimitOverrides(int? MaxConcurrentJobs, int? RequestsPerMinute, int? BulkJobsPerHour)
{
    /// <summary>Whether nothing is overridden.</summary>
    public bool IsEmpty => MaxConcurrentJobs is null && RequestsPerMinute is null && BulkJobsPerHour is null;
}
