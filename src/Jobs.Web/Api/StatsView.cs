namespace Jobs.Web.Api;

/// <summary><c>GET /api/stats</c>: the dashboard's one read.</summary>
public sealed record StatsView(
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<ThroughputPoint> ThroughputPerMinute,
    DurationPercentiles DurationSeconds,
    IReadOnlyList<QueueDepth> Queues,
    IReadOnlyList<WorkerView> Workers);
