using System.Collections.Concurrent;
using Jobs.Testing.Processes;
using StackExchange.Redis;

namespace Jobs.ChaosTests;

[CollectionDefinition(Name)]
public sealed class ChaosCollection : ICollectionFixture<ChaosFixture>
{
    // One collection: scenarios kill shared servers and measure waits, so they run one at a time.
    public const string Name = "chaos";
}

/// <summary>
/// One <see cref="ProcessCluster"/> for the scenarios (starting the processes costs more than most scenarios): three
/// supervised workers, lease 3 s, heartbeat 1 s, maintenance every 0.5 s. Each scenario asserts only on its own jobs
/// and starts from <see cref="EnsureHealthyAsync"/>, which undoes what an earlier one left broken.
/// </summary>
public sealed class ChaosFixture : IAsyncLifetime
{
    public const int WorkerCount = 3;
    private readonly ConcurrentQueue<string> log = new();

    public ProcessCluster Cluster { get; private set; } = null!;

    public static ClusterOptions Options(Action<string>? log) => new()
    {
        Workers = WorkerCount,
        Slots = 8,
        LeaseDuration = TimeSpan.FromSeconds(3),
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        MaintenanceInterval = TimeSpan.FromMilliseconds(500),
        StaleHintAfter = TimeSpan.FromSeconds(3),
        DeadWorkerAfter = TimeSpan.FromSeconds(4),
        ShutdownGracePeriod = TimeSpan.FromSeconds(2),
        SuperviseWorkers = true,
        Log = log,
    };

    /// <summary>The cluster's narration so far, for failure messages.</summary>
    public string Log => string.Join(Environment.NewLine, log);

    public async ValueTask InitializeAsync() => Cluster = await ProcessCluster.StartAsync(Options(log.Enqueue));

    /// <summary>Servers up, the API alive, every worker running (none left paused) and as many as at the start.</summary>
    public async Task EnsureHealthyAsync()
    {
        await Cluster.Redis.RestartAsync();
        foreach (var worker in Cluster.Workers.Where(w => !w.HasExited))
        {
            worker.Signal(ServiceProcess.SigCont);
        }

        if (Cluster.Api.HasExited)
        {
            await Cluster.StartApiAsync();
        }

        await ProcessCluster.WaitUntilAsync(() => Task.FromResult(Cluster.Workers.All(w => !w.HasExited)), "the supervisor to replace crashed workers", TimeSpan.FromSeconds(60));
        while (Cluster.Workers.Count(w => !w.HasExited) < WorkerCount)
        {
            await Cluster.StartWorkerAsync();
        }
    }

    public async Task<ConnectionMultiplexer> ConnectRedisAsync() =>
        await ConnectionMultiplexer.ConnectAsync($"{Cluster.Redis.ConnectionString},allowAdmin=true");

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
