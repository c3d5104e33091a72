namespace Jobs.Contracts.Stats;

/// <summary><c>GET /api/stats</c>: the dashboard's figures for the caller's workspace, and nothing of another's.</summary>
public sealed record StatsResponse(
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<ThroughputPoint> ThroughputPerMinute,
    DurationPercentiles DurationSeconds,
    IReadOnlyList<QueueDepth> Queues,
    IReadOnlyList<WorkerResponse> Workers);

/// <summary>Pending jobs of the workspace on one queue.</summary>
public sealed record QueueDepth(string Queue, long PendingInWorkspace);

/// <summary>A live worker that runs some of the workspace's jobs now, and how many.</summary>
public sealed record WorkerResponse(string Id, long RunningJobs, DateTimeOffset HeartbeatAt);

/// <summary>Jobs that finished in one minute.</summary>
public sealed record ThroughputPoint(DateTimeOffset Minute, long Completed, long Failed);

/// <summary>Run time (first start to completion) of the jobs completed in the last hour, in seconds.</summary>
public sealed record DurationPercentiles(long Count, double? P50, double? P95, double? P99);
