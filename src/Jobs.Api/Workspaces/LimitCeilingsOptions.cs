using System.ComponentModel.DataAnnotations;
using Jobs.Contracts.Workspaces;

namespace Jobs.Api.Workspaces;

/// <summary>
/// The operator's ceilings (section <c>Api:LimitCeilings</c>) on what workspace admins may set for the limits that
/// guard shared capacity. Each is at most its limit's hard range.
/// </summary>
public sealed class LimitCeilingsOptions
{
    public const string Section = "Api:LimitCeilings";

    /// <summary>
    /// Jobs of one workspace processing at once. The default is one worker's slots (<c>Worker__Slots</c>, 16), so one
    /// workspace never holds the whole default pool of two workers; raise it with the pool.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentJobs { get; set; } = 16;

    /// <summary>Items in one bulk job or batch submit (the design's maximum).</summary>
    [Range(1, 1000)]
    public int MaxBatchItems { get; set; } = 1000;

    /// <summary>Bulk jobs per user per hour.</summary>
    [Range(1, 100_000)]
    public int BulkJobsPerHour { get; set; } = 100;

    /// <summary>Requests per API key per minute (100 a second).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 6000;

    public WorkspaceLimitCeilings ToCeilings() => new(MaxConcurrentJobs, MaxBatchItems, BulkJobsPerHour, RequestsPerMinute);
}
