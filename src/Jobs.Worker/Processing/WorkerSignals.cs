using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using StackExchange.Redis;

namespace Jobs.Worker.Processing;

/// <summary>
/// What reaches a worker by pub/sub within milliseconds: wake-ups (a hint on a queue it serves, JobQueue.AddHintsAsync),
/// so an idle fetch loop reads at once instead of at its next poll, and cancel requests for the jobs it runs. The poll
/// and the heartbeat's reading of cancel_requested_at are the fallbacks while Redis is down, so failing to subscribe is
/// not fatal: the next heartbeat tries again.
/// </summary>
internal sealed class WorkerSignals(JobQueue queue, JobEventBus bus, ILogger logger)
{
    private readonly SemaphoreSlim wake = new(0, 1);
    private volatile bool subscribed;

    public bool Subscribed => subscribed;

    /// <summary>Waits for a wake-up, at most <paramref name="timeout"/>.</summary>
    public Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);

    public async Task SubscribeAsync(string[] queues, Action<Guid> onCancelRequested)
    {
        try
        {
            await queue.SubscribeWakeAsync(queues, Wake);
            await bus.SubscribeCancelAsync(onCancelRequested);
            subscribed = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Cannot subscribe to cancel requests yet ({Message}); heartbeats will carry them", ex.Message);
        }
    }

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
