using Jobs.Testing.Processes;

namespace Jobs.Soak;

/// <param name="Jobs">Demo jobs submitted, spread over the first part of <paramref name="Duration"/>.</param>
/// <param name="Duration">How long jobs are submitted and faults injected; the run then waits for the backlog.</param>
public sealed record SoakOptions(int Jobs, TimeSpan Duration, int Workers, int Seed)
{
    /// <summary>
    /// How much later than lease + maintenance interval a job may start before it counts as a violation: on a shared
    /// two-core machine a process restart or a GC delays a claim by a moment; more is a finding. The quick run inside
    /// the test suite allows more, because the suite may share the machine with builds and other tests.
    /// </summary>
    public TimeSpan SchedulingSlack { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>For CI: about a minute.</summary>
    public static SoakOptions Quick => new(1000, TimeSpan.FromSeconds(45), 3, Environment.TickCount);

    /// <summary>Bounded: a few minutes.</summary>
    public static SoakOptions Default => new(5000, TimeSpan.FromMinutes(3), 3, Environment.TickCount);

    /// <summary>
    /// Lease and stale-hint times equal and at least the leader's term, so that whatever the fault (a crashed worker,
    /// a dead leader, lost hints), a job is due to run again within lease + maintenance interval. Slots and the
    /// workspace's limit are ample (demo jobs mostly wait), so that a wait measures recovery, not a queue for a slot
    /// after a burst of jobs became due at once.
    /// </summary>
    public ClusterOptions Cluster(Action<string>? log) => new()
    {
        Workers = Workers,
        Slots = 64,
        LeaseDuration = TimeSpan.FromSeconds(5),
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        MaintenanceInterval = TimeSpan.FromMilliseconds(500),
        StaleHintAfter = TimeSpan.FromSeconds(5),
        DeadWorkerAfter = TimeSpan.FromSeconds(4),
        ShutdownGracePeriod = TimeSpan.FromSeconds(2),
        MaxConcurrentJobs = 500,
        SuperviseWorkers = true,
        Log = log,
    };
}
