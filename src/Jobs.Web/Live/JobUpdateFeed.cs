using System.Collections.Concurrent;
using Jobs.Contracts.Jobs;
using Jobs.Messaging;
using Microsoft.JSInterop;

namespace Jobs.Web.Live;

/// <summary>
/// Live updates on the web side (docs/design.md, "Live updates"): one pattern subscription per process, fanned out
/// in-process to the components of the circuits whose user is in the update's workspace. A component subscribes for as
/// long as it is on screen.
/// </summary>
public sealed class JobUpdateFeed(JobUpdateChannel channel, ILogger<JobUpdateFeed> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private RedisSubscription? _updates;

    /// <summary>
    /// Calls <paramref name="onUpdate"/> with every update of the workspace until the result is disposed. It runs on
    /// Redis's thread: a component passes a handler that hops onto its own dispatcher (<c>InvokeAsync</c>).
    /// </summary>
    public IDisposable Subscribe(Guid workspaceId, Func<JobUpdate, Task> onUpdate)
    {
        var subscription = new Subscription(this, workspaceId, onUpdate);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Redis may be down when the web starts: this keeps trying. Updates lost while Redis is away are not replayed:
        // pages re-read what they show on their resync timer (LiveSync).
        _updates = channel.Subscribe(Dispatch, "pages fall back to re-reading", logger);
        return _updates.StartAsync(stoppingToken);
    }

    public override void Dispose()
    {
        _updates?.Dispose();
        base.Dispose();
    }

    // A linear scan: the subscribers are the components on screen in this process, a few per signed-in tab.
    private void Dispatch(JobUpdate update)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.WorkspaceId == update.WorkspaceId)
            {
                _ = DeliverAsync(subscription, update);
            }
        }
    }

    // Not awaited by Dispatch: one slow circuit must not hold up the updates of every other.
    private async Task DeliverAsync(Subscription subscription, JobUpdate update)
    {
        try
        {
            await subscription.OnUpdate(update);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or JSDisconnectedException or OperationCanceledException)
        {
            // The circuit went away between the update and its delivery; its component unsubscribes as it goes.
        }
        catch (Exception ex)
        {
            // One component's failure (the API did not answer its re-read, say) must not stop the feed for the rest.
            logger.LogWarning(ex, "A live-update handler failed for job {JobId}", update.JobId);
        }
    }

    private sealed class Subscription(JobUpdateFeed feed, Guid workspaceId, Func<JobUpdate, Task> onUpdate) : IDisposable
    {
        public Guid WorkspaceId { get; } = workspaceId;

        public Func<JobUpdate, Task> OnUpdate { get; } = onUpdate;

        public void Dispose() => feed._subscriptions.TryRemove(this, out _);
    }
}
