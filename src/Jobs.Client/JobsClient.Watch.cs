using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Jobs.Contracts.Jobs;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jobs.Client;

public sealed partial class JobsClient
{
    /// <summary>The hub's path and its methods (docs/live-updates.md).</summary>
    private const string HubPath = "hubs/jobs";
    private const string SubscribeJobMethod = "SubscribeJob";
    private const string JobUpdatedMethod = "jobUpdated";

    /// <summary>How long a watch keeps reconnecting before it gives up and throws.</summary>
    private static readonly TimeSpan ReconnectFor = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The job's state now and then each change, until it is completed, failed or cancelled: the last item is that
    /// final state. Over the hub (docs/live-updates.md) on a connection of its own, or over Server-Sent Events, as
    /// <see cref="Transport"/> says: <see cref="WatchTransport.Auto"/> takes the hub and falls back to the events when
    /// the hub cannot be reached.
    /// </summary>
    /// <remarks>
    /// Subscribing answers the job as it is once the connection hears it, so nothing between the read and the
    /// subscription is lost. Updates are applied by the sequence rule: only one with a higher sequence than the last
    /// yielded is, so a duplicate or late update is dropped and the sequence of what is yielded always increases. A
    /// dropped connection reconnects by itself: the hub subscribes again and yields the job as it is then, which covers
    /// the gap; the event stream resumes after the last event it had (<c>Last-Event-ID</c>).
    /// </remarks>
    /// <exception cref="JobsNotFoundException">No such job in the workspace.</exception>
    /// <exception cref="JobsWatchException">The connection was lost and could not be made again.</exception>
    public async IAsyncEnumerable<JobUpdate> WatchAsync(Guid jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = Channel.CreateUnbounded<JobUpdate>(new UnboundedChannelOptions { SingleReader = true });
        // Ends the event stream's reading when the caller stops, or the watch ends, before the stream does.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var hub = Transport == WatchTransport.ServerSentEvents ? null : await ConnectAsync(jobId, updates.Writer, cancellationToken);
        try
        {
            if (hub is null)
            {
                _ = FollowEventsAsync(jobId, updates.Writer, stop.Token);
            }
            else
            {
                await SubscribeAsync(hub, jobId, updates.Writer, cancellationToken);
            }

            var held = long.MinValue;
            await foreach (var update in updates.Reader.ReadAllAsync(cancellationToken))
            {
                if (update.Sequence <= held)
                {
                    continue;
                }

                held = update.Sequence;
                yield return update;
                if (JobStatus.IsFinal(update.Status))
                {
                    yield break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    /// <summary>
    /// The hub's connection, started and passing the job's updates to <paramref name="updates"/>; null when
    /// <see cref="WatchTransport.Auto"/> could not reach the hub, so the watch goes over Server-Sent Events instead.
    /// </summary>
    private async Task<HubConnection?> ConnectAsync(Guid jobId, ChannelWriter<JobUpdate> updates, CancellationToken cancellationToken)
    {
        var hub = await BuildHubAsync(cancellationToken);
        try
        {
            await hub.StartAsync(cancellationToken);
        }
        catch (Exception e) when (Transport == WatchTransport.Auto && e is not OperationCanceledException)
        {
            // Negotiation refused (a proxy that blocks the hub's path, a hub that is down) or no transport got through:
            // the events endpoint is plain HTTP, which whatever let the API's calls through lets through too.
            await hub.DisposeAsync();
            return null;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        // Only a started connection's end is the watch's: a start that failed above falls back or throws instead.
        hub.On<JobUpdate>(JobUpdatedMethod, update =>
        {
            if (update.JobId == jobId)
            {
                updates.TryWrite(update);
            }
        });
        hub.Reconnected += async _ =>
        {
            try
            {
                await SubscribeAsync(hub, jobId, updates, CancellationToken.None);
            }
            catch (Exception e)
            {
                updates.TryComplete(e);
            }
        };
        hub.Closed += error =>
        {
            updates.TryComplete(new JobsWatchException($"The live connection for job {jobId} was lost and could not be made again.", error));
            return Task.CompletedTask;
        };

        return hub;
    }

    /// <summary>Joins the job's group and queues its snapshot; a job the workspace does not have ends the watch.</summary>
    private static async Task SubscribeAsync(HubConnection hub, Guid jobId, ChannelWriter<JobUpdate> updates, CancellationToken cancellationToken)
    {
        var snapshot = await hub.InvokeAsync<JobUpdate?>(SubscribeJobMethod, jobId.ToString(), cancellationToken);
        if (snapshot is null)
        {
            // The hub refuses another workspace's job exactly as one that does not exist (docs/design.md, "Tenancy").
            throw new JobsNotFoundException("job_not_found", "Job not found", $"There is no job '{jobId}' in your workspace.", null);
        }

        updates.TryWrite(snapshot);
    }

    /// <summary>The key is read once for the connection: the hub's headers are fixed when it is built.</summary>
    private async Task<HubConnection> BuildHubAsync(CancellationToken cancellationToken)
    {
        var baseAddress = await resolve(http.BaseAddress!, cancellationToken);
        var key = await apiKey(cancellationToken);
        return new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, HubPath), options => options.Headers[ApiKeyHeader] = key)
            .WithAutomaticReconnect(new WatchRetryPolicy())
            .Build();
    }

    /// <summary>At once, then backing off to five seconds apart, for <see cref="ReconnectFor"/>.</summary>
    private sealed class WatchRetryPolicy : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.ElapsedTime > ReconnectFor ? null : RetryDelay(retryContext.PreviousRetryCount);
    }

    /// <summary>The wait before reconnection <paramref name="retries"/> + 1, for the hub and the event stream alike.</summary>
    private static TimeSpan RetryDelay(long retries) =>
        TimeSpan.FromMilliseconds(Math.Min(5_000, retries == 0 ? 0 : 250 << (int)Math.Min(retries, 5)));
}

/// <summary>A watch's live connection was lost and could not be made again; read the job to learn where it stands.</summary>
public sealed class JobsWatchException(string message, Exception? inner) : Exception(message, inner);
