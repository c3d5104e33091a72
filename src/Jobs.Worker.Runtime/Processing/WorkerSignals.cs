using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Messaging;
using StackExchange.Redis;

namespace Jobs.Worker.Processing;

/// <summary>
/// What reaches a worker by pub/sub within milliseconds: wake-ups (a hint on a queue it serves, JobQueue.AddHintsAsync),
/// so an idle fetch loop reads at once instead of at its next poll, and cancel requests for the jobs it runs. The poll
/// and the heartbeat's reading of cancel_requested_at are the fallbacks while Redis is down, so failing to subscribe is
/// not fatal: the subscription keeps trying on its own.
/// </summary>
internal sealed class WorkerSignals(IConnectionMultiplexer redis, JobQueue queue, JobEventBus bus, TimeProvider time, ILogger<WorkerSignals> logger) : IDisposable
{
    private readonly SemaphoreSlim wake = new(0, 1);
    private RedisSubscription? subscription;

    /// <summary>Waits for a wake-up, at most <paramref name="timeout"/>.</summary>
    public Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// Subscribes to the wake-ups of <paramref name="queues"/> and to cancel requests; returns after the first attempt
    /// (see <see cref="RedisSubscription.StartAsync"/>). Signals are heard until this is disposed, through shutdown's drain.
    /// </summary>
    public Task StartAsync(string[] queues, Action<Guid> onCancelRequested, CancellationToken cancellationToken)
    {
        subscription = new RedisSubscription(
            redis,
            [.. queue.WakeListeners(queues, Wake), bus.CancelListener(onCancelRequested)],
            "wake-ups and cancel requests",
            "the fetch loop polls and heartbeats carry cancel requests",
            time,
            logger)
        {
            // A wake-up may have been lost while Redis was away: read the streams now rather than at the next poll.
            OnResubscribed = Wake,
        };
        return subscription.StartAsync(cancellationToken);
    }

    public void Dispose() => subscription?.Dispose();

    private void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another wake-up got there first.
            }
        }
    }
}
