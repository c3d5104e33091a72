using System.Collections.Concurrent;
using System.Collections.Immutable;
using Jobs.Contracts.Jobs;
using Jobs.Messaging;
using Microsoft.AspNetCore.SignalR;

namespace Jobs.Api.Live;

/// <summary>
/// The API instance's single pattern subscription to every workspace's updates (docs/design.md, "Live updates"), fanned
/// out to the SignalR groups <c>job:{id}</c> and <c>workspace:{id}</c> and to the SSE streams of this instance. Every
/// instance hears every update, so scaling the API out needs no SignalR backplane.
/// </summary>
/// <remarks>
/// Redis delivers the pattern's messages to <see cref="Dispatch"/> one at a time, in order, so nothing here may wait:
/// SSE listeners get a non-blocking <see cref="JobUpdateListener.Offer"/>, and SignalR sends are started, not awaited
/// (SignalR starts each connection's write in call order and parks a slow connection's writes on that connection
/// alone, so ordering holds per connection and one slow client delays nobody else).
/// </remarks>
public sealed class JobUpdateDispatcher(
    JobUpdateChannel channel,
    IHubContext<JobsHub> hub,
    IHostApplicationLifetime lifetime,
    ILogger<JobUpdateDispatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, ImmutableArray<JobUpdateListener>> listeners = new();
    private readonly Lock registration = new();
    private bool stopping;
    private volatile RedisSubscription? updates;

    /// <summary>True once the subscription is registered; from then on the multiplexer restores it after reconnects.</summary>
    public bool IsSubscribed => updates?.IsSubscribed == true;

    /// <summary>
    /// Starts buffering the job's updates for one reader; dispose it to stop. Register before reading the job's row,
    /// so that no update can fall between the read and the registration.
    /// </summary>
    public JobUpdateListener Listen(Guid jobId, Guid workspaceId)
    {
        var listener = new JobUpdateListener(jobId, workspaceId, Unregister);
        lock (registration)
        {
            if (stopping)
            {
                listener.Complete();
                return listener;
            }

            listeners[jobId] = listeners.TryGetValue(jobId, out var existing) ? existing.Add(listener) : [listener];
        }

        return listener;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Open SSE streams end as soon as the host begins to stop, so that clients reconnect (with Last-Event-ID) to
        // an instance that stays, and the server's graceful shutdown does not wait on them. SignalR closes its own.
        lifetime.ApplicationStopping.Register(CompleteAll);
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Redis down at start: the API still serves (clients can poll, the row is the truth) while this keeps trying.
        // Updates lost while Redis is away are not replayed: a client's next update or read puts it right
        // (docs/design.md, "Live updates").
        updates = channel.Subscribe(Dispatch, "clients read the rows", logger);
        return updates.StartAsync(stoppingToken);
    }

    public override void Dispose()
    {
        updates?.Dispose();
        base.Dispose();
    }

    private void Dispatch(JobUpdate update)
    {
        if (listeners.TryGetValue(update.JobId, out var forJob))
        {
            foreach (var listener in forJob)
            {
                // Job ids are unique across workspaces; the check only makes a leak impossible by construction.
                if (listener.WorkspaceId == update.WorkspaceId)
                {
                    listener.Offer(update);
                }
            }
        }

        try
        {
            var send = hub.Clients
                .Groups([JobsHub.JobGroup(update.JobId), JobsHub.WorkspaceGroup(update.WorkspaceId)])
                .SendAsync(JobsHub.JobUpdatedMethod, update);
            if (!send.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(send, update);
            }
        }
        catch (Exception ex)
        {
            // Redis's message loop would swallow this silently; say what was lost instead.
            logger.LogWarning(ex, "Could not send update {Sequence} of job {JobId} to SignalR clients", update.Sequence, update.JobId);
        }
    }

    private async Task ObserveAsync(Task send, JobUpdate update)
    {
        try
        {
            await send;
        }
        catch (Exception ex)
        {
            // SignalR aborts a connection whose write fails; the client reconnects and reads the row again.
            logger.LogDebug(ex, "A SignalR client missed update {Sequence} of job {JobId}", update.Sequence, update.JobId);
        }
    }

    private void Unregister(JobUpdateListener listener)
    {
        lock (registration)
        {
            if (!listeners.TryGetValue(listener.JobId, out var existing))
            {
                return;
            }

            var rest = existing.Remove(listener);
            if (rest.IsEmpty)
            {
                listeners.TryRemove(listener.JobId, out _);
            }
            else
            {
                listeners[listener.JobId] = rest;
            }
        }
    }

    private void CompleteAll()
    {
        lock (registration)
        {
            stopping = true;
            foreach (var forJob in listeners.Values)
            {
                foreach (var listener in forJob)
                {
                    listener.Complete();
                }
            }
        }
    }
}
