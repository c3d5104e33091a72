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
    /// final state. Over the hub (docs/live-updates.md), on a connection of its own.
    /// </summary>
    /// <remarks>
    /// Subscribing answers the job as it is once the connection hears it, so nothing between the read and the
    /// subscription is lost. Updates are applied by the sequence rule: only one with a higher sequence than the last
    /// yielded is, so a duplicate or late update is dropped and the sequence of what is yielded always increases. A
    /// dropped connection reconnects by itself; the updates sent while it was away are lost to it, so it subscribes
    /// again and yields the job as it is then, which covers the gap.
    /// </remarks>
    /// <exception cref="JobsNotFoundException">No such job in the workspace.</exception>
    /// <exception cref="JobsWatchException">The connection was lost and could not be made again.</exception>
    public async IAsyncEnumerable<JobUpdate> WatchAsync(Guid jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = Channel.CreateUnbounded<JobUpdate>(new UnboundedChannelOptions { SingleReader = true });
        await using var hub = await ConnectAsync(cancellationToken);
        hub.On<JobUpdate>(JobUpdatedMethod, update =>
        {
            if (update.JobId == jobId)
            {
                updates.Writer.TryWrite(update);
            }
        });
        hub.Reconnected += async _ =>
        {
            try
            {
                await SubscribeAsync(hub, jobId, updates.Writer, CancellationToken.None);
            }
            catch (Exception e)
            {
                updates.Writer.TryComplete(e);
            }
        };
        hub.Closed += error =>
        {
            updates.Writer.TryComplete(new JobsWatchException($"The live connection for job {jobId} was lost and could not be made again.", error));
            return Task.CompletedTask;
        };

        await hub.StartAsync(cancellationToken);
        await SubscribeAsync(hub, jobId, updates.Writer, cancellationToken);

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

    private async Task<HubConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var baseAddress = await resolve(http.BaseAddress!, cancellationToken);
        return new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, HubPath), options => options.Headers[ApiKeyHeader] = apiKey)
            .WithAutomaticReconnect(new WatchRetryPolicy())
            .Build();
    }

    /// <summary>At once, then backing off to five seconds apart, for <see cref="ReconnectFor"/>.</summary>
    private sealed class WatchRetryPolicy : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.ElapsedTime > ReconnectFor
                ? null
                : TimeSpan.FromMilliseconds(Math.Min(5_000, retryContext.PreviousRetryCount == 0 ? 0 : 250 << (int)Math.Min(retryContext.PreviousRetryCount, 5)));
    }
}

/// <summary>A watch's live connection was lost and could not be made again; read the job to learn where it stands.</summary>
public sealed class JobsWatchException(string message, Exception? inner) : Exception(message, inner);
