namespace Jobs.Core.Engine.Storage;

/// <summary>
/// What <c>GET /api/stats</c> shows for one workspace, and nothing of another's: its jobs by status, throughput and
/// durations, its pending jobs per queue, and how many of its jobs each worker runs now (by worker id).
/// </summary>
public sealed record JobStats(
    IReadOnlyDictionary<string, long> CountsByStatus,
    IReadOnlyList<ThroughputPoint> ThroughputPerMinute,
    DurationPercentiles Durations,
    IReadOnlyDictionary<string, long> PendingByQueue,
    IReadOnlyDictionary<string, long> RunningByWorker);

/// <summary>Jobs that finished in one minute.</summary>
public sealed record ThroughputPoint(DateTimeOffset Minute, long Completed, long Failed);

/// <summary>Run time (first start to completion) of the jobs completed in the last hour, in seconds.</summary>
public sealed record DurationPercentiles(long Count, double? P50, double? P95, double? P99);
