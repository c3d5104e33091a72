using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Jobs.Contracts.Workspaces;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Hosting;
using Npgsql;

namespace Jobs.Worker.Processing;

/// <summary>
/// Group commit for the worker's slots: progress writes and completions queue here, and one loop writes all
/// that is queued in one transaction (<see cref="IJobStore.JobWriteManyAsync"/>), hints the freed slots' next jobs in
/// that same transaction, then, in one pipelined round trip, acknowledges the completed attempts' stream entries and
/// publishes the batch's live updates (one PUBLISH per workspace). No timer: whatever arrives while a write is in
/// flight goes in the next, so an idle worker writes at once and a busy one in batches. Each caller still gets its own
/// fenced answer (null when its lease was lost), as from a single write.
/// <para>
/// A job's progress write and its outcome that meet in one batch, both of one stage, are written as one: the outcome's
/// row carries the progress write's stage event (and message), so the job gets one row version and one update instead
/// of two. A job that reports its stage and finishes at once (most short jobs) costs one group write, not two.
/// </para>
/// <para>
/// A job whose handler has a <see cref="FencedTransaction"/> open writes its progress directly instead
/// (ProgressReporter): that transaction share-locks the job's row, and a write of it queued here would hold every other
/// job's write back until the handler commits.
/// </para>
/// </summary>
internal sealed class AttemptWriter : IAsyncDisposable
{
    private const int MaxBatch = 500;

    private readonly IJobStore store;
    private readonly StreamAcks acks;
    private readonly HintSender hints;
    private readonly JobEventBus bus;
    private readonly ILogger<AttemptWriter> logger;
    private readonly Channel<Pending> pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;

    public AttemptWriter(IJobStore store, StreamAcks acks, HintSender hints, JobEventBus bus, ILogger<AttemptWriter> logger)
    {
        this.store = store;
        this.acks = acks;
        this.hints = hints;
        this.bus = bus;
        this.logger = logger;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>Writes and publishes the attempt's progress; the answer is the job as written (null: lease lost).</summary>
    public Task<Job?> SetProgressAsync(JobSetProgressParams write) => Enqueue(new Pending(write, null, "", []));

    /// <summary>
    /// Completes the attempt; once that is committed its stream entries are acknowledged (docs/design.md, "Delivery
    /// invariants"), its workspace's next jobs hinted and its outcome published.
    /// </summary>
    public Task<Job?> CompleteAsync(RunningJob attempt, JobSetProgressParams final, JsonElement result, string streamQueue) =>
        Enqueue(new Pending(final, new JobCompletion(final, result, attempt.Job.WorkspaceId), streamQueue, attempt.EntryIds));

    private Task<Job?> Enqueue(Pending write)
    {
        if (!pending.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(AttemptWriter));
        }

        return write.Done.Task;
    }

    private async Task LoopAsync()
    {
        // A group write belongs to no one request or job: its span links to the runs it carries instead.
        Activity.Current = null;
        var reader = pending.Reader;
        var batch = new List<Pending>();
        // The batch's progress write of each job (null once an outcome has taken it over).
        var progressOf = new Dictionary<Guid, Pending?>();
        Pending? carried = null;
        while (carried is not null || await reader.WaitToReadAsync())
        {
            batch.Clear();
            progressOf.Clear();
            // At most one progress write per job in a batch (one statement cannot apply two rows to one job in order):
            // a second one waits for the next batch, keeping the order. A completion that finds its job's progress write
            // in the batch takes it over.
            while (batch.Count < MaxBatch && (carried is not null || reader.TryRead(out carried)))
            {
                var jobId = carried.Write.Lease.JobId;
                if (carried.Completion is null)
                {
                    if (!progressOf.TryAdd(jobId, carried))
                    {
                        break;
                    }
                }
                else if (progressOf.GetValueOrDefault(jobId) is { } progress && carried.CanTakeOver(progress))
                {
                    carried.TakeOver(progress);
                    progressOf[jobId] = null;
                }

                batch.Add(carried);
                carried = null;
            }

            try
            {
                await FlushAsync(batch);
            }
            catch (Exception ex)
            {
                // Never leave a caller waiting, and keep the loop alive for the next batch. Each caller handles the
                // failure as it would its own write's: progress is kept for the next one, a failed completion is
                // recorded as a retryable failure or left to the lease (OutcomeRecorder).
                logger.LogWarning("Group write of {Count} attempts failed: {Message}", batch.Count, ex.Message);
                foreach (var write in batch)
                {
                    write.Done.TrySetException(ex);
                }
            }
        }
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        using var activity = JobsTelemetry.ActivitySource.StartActivity(
            "write attempts",
            ActivityKind.Internal,
            parentContext: default,
            tags: [new("jobs.count", batch.Count)],
            links: batch.Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)).DistinctBy(l => l.Context.SpanId));
        var progress = batch.Where(p => p.Completion is null && p.TakenOverBy is null).ToList();
        var completions = batch.Where(p => p.Completion is not null).ToList();
        var written = await WriteAsync(new JobWriteManyParams(
            progress.Select(p => p.Write).ToList(),
            completions.Select(p => p.Completion!).ToList(),
            WorkspaceLimits.MaxHintsPerWorkspace));

        var progressed = written.Progressed.ToDictionary(j => j.Id);
        var completed = written.Completed.ToDictionary(j => j.Id);
        foreach (var write in batch)
        {
            var done = write.Completion is null && write.TakenOverBy is null ? progressed : completed;
            write.Done.TrySetResult(done.GetValueOrDefault(write.Write.Lease.JobId));
        }

        // Progress first: a job's updates keep their order within a message.
        var updates = progress.Select(p => (Job: progressed.GetValueOrDefault(p.Write.Lease.JobId), p.Write.Message))
            .Concat(completions.Select(c => completed.GetValueOrDefault(c.Write.Lease.JobId)).Select(j => (Job: j, Message: j?.Error)))
            .Where(u => u.Job is not null)
            .Select(u => (u.Job!, u.Message));
        await Task.WhenAll(AckAsync(completions), hints.SendAsync(written.Hints), bus.PublishManyAsync(updates));
    }

    private async Task<JobWriteManyResult> WriteAsync(JobWriteManyParams parameters)
    {
        try
        {
            return await store.JobWriteManyAsync(parameters, CancellationToken.None);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            // The whole batch rolled back: nothing of it was written, so once more is safe.
            logger.LogWarning("Group write of {Count} attempts hit {SqlState}; writing it again", parameters.Progress.Count + parameters.Completions.Count, ex.SqlState);
            return await store.JobWriteManyAsync(parameters, CancellationToken.None);
        }
    }

    // Acknowledged only now (docs/design.md, "Delivery invariants"), after the outcomes are recorded (or fenced out:
    // then the job is someone else's, and this entry is spent either way).
    private async Task AckAsync(List<Pending> completions)
    {
        foreach (var group in completions.GroupBy(c => c.Queue))
        {
            await acks.AckAsync(group.Key, group.SelectMany(c => c.EntryIds).ToList());
        }
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop;
    }

    private sealed class Pending(JobSetProgressParams write, JobCompletion? completion, string queue, IReadOnlyList<string> entryIds)
    {
        public JobSetProgressParams Write { get; } = write;

        public JobCompletion? Completion { get; private set; } = completion;

        public string Queue { get; } = queue;

        public IReadOnlyList<string> EntryIds { get; } = entryIds;

        /// <summary>The completion that writes this progress write with its own row.</summary>
        public Pending? TakenOverBy { get; private set; }

        /// <summary>The caller's span (the job's run), linked from the group write's.</summary>
        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

        public TaskCompletionSource<Job?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>
        /// Whether this completion can write <paramref name="progress"/>, the same job's progress write queued before it:
        /// when both are of one stage (the handler's last stage write, as a rule), the outcome's row can carry its event.
        /// </summary>
        public bool CanTakeOver(Pending progress) => progress.Write.Stage == Write.Stage && !Write.StageChanged;

        /// <summary>
        /// This completion writes <paramref name="progress"/> too: its values are older than the outcome's, so only its
        /// stage event and message remain to be written.
        /// </summary>
        public void TakeOver(Pending progress)
        {
            var final = Completion!.Final;
            Completion = Completion with
            {
                Final = final with
                {
                    StageChanged = progress.Write.StageChanged,
                    Message = progress.Write.Message ?? final.Message,
                },
            };
            progress.TakenOverBy = this;
        }
    }
}
