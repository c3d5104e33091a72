using System.Diagnostics;
using System.Threading.Channels;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Npgsql;

namespace Jobs.Api.Jobs;

/// <summary>
/// Group commit for submits without idempotency keys: concurrent requests queue here, and one loop inserts all that is
/// queued in one batch and one commit (<see cref="IJobStore.JobInsertGroupsAsync"/>: an insert per caller, a fill of
/// the free slots per workspace). No timer: whatever arrives while a write is in flight goes in the next, so a lone
/// submit is written at once and a busy API writes its submits in groups instead of one commit (one WAL flush) each.
/// The loop puts the group's hints on the streams (after the commit: docs/design.md, "Delivery invariants") and
/// publishes its "submitted" updates (one PUBLISH per workspace), then answers each caller with its own jobs (and no
/// hints: they are sent).
/// <para>
/// Should a group's batch fail (a user removed mid-flight fails its row's foreign key, and with it the batch), each
/// caller is written again on its own, so one caller's error never becomes another's.
/// </para>
/// </summary>
public sealed class SubmitCoalescer : IAsyncDisposable
{
    private const int MaxRequests = 256;
    private const int MaxJobs = 5000;

    private readonly IJobStore store;
    private readonly HintSender hints;
    private readonly JobEventBus bus;
    private readonly Channel<Pending> pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;

    public SubmitCoalescer(IJobStore store, HintSender hints, JobEventBus bus)
    {
        this.store = store;
        this.hints = hints;
        this.bus = bus;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>
    /// Inserts <paramref name="parameters"/>' jobs with others queued meanwhile, hints what they let start and publishes
    /// the created jobs' updates.
    /// </summary>
    public Task<JobInsertManyResult> SubmitAsync(JobInsertManyParams parameters, CancellationToken cancellationToken)
    {
        var write = new Pending(parameters);
        if (!pending.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SubmitCoalescer));
        }

        // A caller that goes away stops waiting; its jobs are still written (the 202 was not sent, the rows exist).
        return write.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task LoopAsync()
    {
        // The loop belongs to no request (it started within the first one to need it).
        Activity.Current = null;
        var reader = pending.Reader;
        var batch = new List<Pending>();
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            var jobs = 0;
            while (batch.Count < MaxRequests && jobs < MaxJobs && reader.TryRead(out var next))
            {
                batch.Add(next);
                jobs += next.Parameters.Jobs.Count;
            }

            try
            {
                var (groups, hinted) = await store.JobInsertGroupsAsync([.. batch.Select(p => p.Parameters)], CancellationToken.None);
                await SendAsync(batch, groups, hinted);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(groups[i]);
                }
            }
            catch (Exception ex) when (batch.Count > 1 && ex is NpgsqlException)
            {
                foreach (var one in batch)
                {
                    await WriteAloneAsync(one);
                }
            }
            catch (Exception ex)
            {
                foreach (var write in batch)
                {
                    write.Done.TrySetException(ex);
                }
            }
        }
    }

    private async Task WriteAloneAsync(Pending write)
    {
        try
        {
            var (groups, hinted) = await store.JobInsertGroupsAsync([write.Parameters], CancellationToken.None);
            await SendAsync([write], groups, hinted);
            write.Done.TrySetResult(groups[0]);
        }
        catch (Exception ex)
        {
            write.Done.TrySetException(ex);
        }
    }

    // Each caller's own jobs are hinted under its request's span, so that their traces run on through the stream to
    // the handler (docs/design.md, "Conventions"); hints of older jobs the group's fills let in carry no trace.
    private async Task SendAsync(IReadOnlyList<Pending> writes, IReadOnlyList<JobInsertManyResult> groups, IReadOnlyList<JobHint> hinted)
    {
        var rest = hinted.ToDictionary(h => h.JobId);
        var sends = new List<Task>(writes.Count + 2);
        for (var i = 0; i < writes.Count; i++)
        {
            var own = groups[i].Results.Select(r => rest.Remove(r.Job.Id, out var hint) ? hint : null).OfType<JobHint>().ToList();
            if (own.Count > 0)
            {
                Activity.Current = writes[i].Trace;
                sends.Add(hints.SendAsync(own));
            }
        }

        Activity.Current = null;
        sends.Add(hints.SendAsync([.. rest.Values]));
        sends.Add(bus.PublishManyAsync(groups.SelectMany(g => g.Results).Where(r => r.Created).Select(r => (r.Job, (string?)"submitted"))));
        await Task.WhenAll(sends);
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop;
    }

    private sealed record Pending(JobInsertManyParams Parameters)
    {
        /// <summary>The submitting request's span ("submit jobs"), which stays open while it waits here.</summary>
        public Activity? Trace { get; } = Activity.Current;

        public TaskCompletionSource<JobInsertManyResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
