using Jobs.Contracts.Stats;

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
