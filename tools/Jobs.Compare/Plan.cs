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
    public static Plan For(bool quick) => quick
        ? new Plan(true, 2, 50, [1, 16],
            new Dictionary<int, int> { [1] = 100, [16] = 400 }, 100,
            new Dictionary<int, int> { [1] = 5, [16] = 15 }, 30, 400, 16, TimeSpan.FromSeconds(20))
        : new Plan(false, 2, 50, [1, 16, 64],
            new Dictionary<int, int> { [1] = 300, [16] = 2000, [64] = 2000 }, 100,
            new Dictionary<int, int> { [1] = 20, [16] = 60, [64] = 96 }, 200, 2000, 16, TimeSpan.FromSeconds(180));

    /// <summary>Every submitted job stays pending until the workers start: the throughput backlog is their sum.</summary>
    public int BacklogJobs => SingleSubmits.Values.Sum() + BatchRequests.Values.Sum() * BatchSize;
}
