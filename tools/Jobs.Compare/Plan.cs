namespace Jobs.Compare;

/// <summary>How much each scenario does; the quick plan fits in three minutes on two cores.</summary>
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
    /// <summary>Jobs reporting progress to the SignalR client (issue 8: 200), each <see cref="EventItems"/> × <see cref="EventDelayMs"/>.</summary>
    public int EventJobs { get; init; } = 200;

    public int EventItems { get; init; } = 10;

    public int EventDelayMs { get; init; } = 200;

    /// <summary>Continuous mode: jobs a second offered through the batch endpoint, for how long, and how long to wait after.</summary>
    public int ContinuousRate { get; init; }

    public TimeSpan ContinuousDuration { get; init; }

    public TimeSpan ContinuousDrain { get; init; }

    /// <summary>Pending rows inserted for the backlog scenario; 0 skips it (the quick plan).</summary>
    public int BacklogRows { get; init; }

    /// <summary>The backlog scenario's fresh set: single submits and batches of <see cref="BatchSize"/>, from 16 clients each.</summary>
    public int BacklogSingles { get; init; }

    public int BacklogBatches { get; init; }

    public static Plan For(bool quick) => quick
        ? new Plan(true, 2, 50, [1, 16],
            new Dictionary<int, int> { [1] = 100, [16] = 400 }, 100,
            new Dictionary<int, int> { [1] = 5, [16] = 15 }, 30, 400, 16, TimeSpan.FromSeconds(20))
        {
            ContinuousRate = 300,
            ContinuousDuration = TimeSpan.FromSeconds(10),
            ContinuousDrain = TimeSpan.FromSeconds(20),
        }
        : new Plan(false, 2, 50, [1, 16, 64],
            new Dictionary<int, int> { [1] = 300, [16] = 2000, [64] = 2000 }, 100,
            new Dictionary<int, int> { [1] = 20, [16] = 60, [64] = 96 }, 200, 2000, 16, TimeSpan.FromSeconds(180))
        {
            ContinuousRate = 500,
            ContinuousDuration = TimeSpan.FromSeconds(30),
            ContinuousDrain = TimeSpan.FromSeconds(60),
            BacklogRows = 1_000_000,
            BacklogSingles = 1000,
            BacklogBatches = 30,
        };

    /// <summary>Every submitted job stays pending until the workers start: the throughput backlog is their sum.</summary>
    public int BacklogJobs => WarmupSingles + WarmupBatches * BatchSize + SingleSubmits.Values.Sum() + BatchRequests.Values.Sum() * BatchSize;

    /// <summary>Unmeasured submits first (the API's JIT tiers up after 30 calls and a delay); they join the backlog too.</summary>
    public int WarmupSingles => 300;

    public int WarmupBatches => 5;
}
