namespace Jobs.Compare;

/// <summary>
/// How much each scenario does. Every system runs <see cref="Runs"/> times in one invocation, the systems interleaved,
/// so that each figure is a median of runs that saw the same machine at about the same time.
/// </summary>
public sealed record Plan(
    bool Quick,
    int Workers,
    int Slots,
    IReadOnlyList<int> ClientCounts,
    IReadOnlyDictionary<int, int> SingleSubmits,
    int BatchSize,
    IReadOnlyDictionary<int, int> BatchRequests,
    int PickupSamples,
    int PeerLatencyJobs,
    int PeerClients,
    TimeSpan WorkDownDeadline)
{
    /// <summary>Runs of every system; the figures reported are their medians, the ratios medians of per-run ratios.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>Workspaces at their default limits that share the multi-workspace work-down's backlog.</summary>
    public int Workspaces { get; init; } = 20;

    /// <summary>How often the multi-workspace scenario counts each workspace's processing jobs.</summary>
    public TimeSpan LimitSampleInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The history variant: completed jobs kept (retention is 14 days) and pending jobs due in ten years.</summary>
    public int HistoryCompleted { get; init; }

    public int HistoryFuture { get; init; }

    /// <summary>Jobs reporting progress to the SignalR client, each <see cref="EventItems"/> × <see cref="EventDelayMs"/>.</summary>
    public int EventJobs { get; init; } = 200;

    public int EventItems { get; init; } = 10;

    public int EventDelayMs { get; init; } = 200;

    /// <summary>Continuous mode: jobs a second offered through the batch endpoint, for how long, and how long to wait after.</summary>
    public int ContinuousRate { get; init; }

    public TimeSpan ContinuousDuration { get; init; }

    public TimeSpan ContinuousDrain { get; init; }

    public static Plan For(bool quick) => quick
        ? new Plan(true, 2, 50, [1, 16],
            new Dictionary<int, int> { [1] = 100, [16] = 400 }, 100,
            new Dictionary<int, int> { [1] = 5, [16] = 15 }, 30, 400, 16, TimeSpan.FromSeconds(20))
        {
            HistoryCompleted = 50_000,
            HistoryFuture = 100_000,
            ContinuousRate = 300,
            ContinuousDuration = TimeSpan.FromSeconds(10),
            ContinuousDrain = TimeSpan.FromSeconds(20),
        }
        : new Plan(false, 2, 50, [1, 16, 64],
            new Dictionary<int, int> { [1] = 300, [16] = 2000, [64] = 2000 }, 100,
            new Dictionary<int, int> { [1] = 20, [16] = 60, [64] = 96 }, 200, 2000, 16, TimeSpan.FromSeconds(180))
        {
            HistoryCompleted = 500_000,
            HistoryFuture = 1_000_000,
            ContinuousRate = 500,
            ContinuousDuration = TimeSpan.FromSeconds(30),
            ContinuousDrain = TimeSpan.FromSeconds(60),
        };

    /// <summary>Every submitted job stays pending until the workers start: the throughput backlog is their sum.</summary>
    public int BacklogJobs => WarmupSingles + WarmupBatches * BatchSize + SingleSubmits.Values.Sum() + BatchRequests.Values.Sum() * BatchSize;

    /// <summary>Unmeasured submits first (the API's JIT tiers up after 30 calls and a delay); they join the backlog too.</summary>
    public int WarmupSingles => 300;

    public int WarmupBatches => 5;
}
