using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Jobs.Core.Hosting;
using Jobs.Core.Jobs;
using Jobs.Core.Queue;
using Jobs.Core.Storage;
using Npgsql;
using StackExchange.Redis;

namespace Jobs.Worker.Processing;

/// <summary>
/// Group commit for the worker's slots: progress writes and completions queue here, and one loop writes all
/// that is queued in one transaction (<see cref="IJobStore.JobWriteManyAsync"/>), hints the freed slots' next jobs in
/// that same transaction, then acknowledges the completed attempts' stream entries in one pipelined call. No timer:
/// whatever arrives while a write is in flight goes in the next, so an idle worker writes at once and a busy one in
/// batches. Each caller still gets its own fenced answer (null when its lease was lost), as from a single write.
/// <para>
/// A job whose handler has a <see cref="FencedTransaction"/> open writes its progress directly instead
/// (ProgressReporter): that transaction share-locks the job's row, and a write of it queued here would hold every other
/// job's write back until the handler commits.
/// </para>
/// </summary>
internal sealed class AttemptWriter : IAsyncDisposable
{
    private const int MaxBatch = 500;

    // A workspace's bound is its concurrency limit; this caps one batch's hints should a limit be set very high.
    private const int MaxHintsPerWorkspace = 100;

    private readonly IJobStore store;
    private readonly JobQueue queue;
    private readonly HintSender hints;
    private readonly ILogger<AttemptWriter> logger;
    private readonly Channel<Pending> pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;

    public AttemptWriter(IJobStore store, JobQueue queue, HintSender hints, ILogger<AttemptWriter> logger)
    {
        this.store = store;
        this.queue = queue;
        this.hints = hints;
        this.logger = logger;
        loop = Task.Run(LoopAsync);
    }

    public Task<Job?> SetProgressAsync(JobSetProgressParams write) => Enqueue(new Pending(write, null, "", []));

    /// <summary>
    /// Completes the attempt; once that is committed its stream entries are acknowledged
    /// (docs/design.md, "Delivery invariants") and its workspace's next jobs hinted.
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
        var progressOf = new HashSet<Guid>();
        Pending? carried = null;
        while (carried is not null || await reader.WaitToReadAsync())
        {
            batch.Clear();
            progressOf.Clear();
            // At most one progress write per job in a batch (one statement cannot apply two rows to one job in order):
            // a second one waits for the next batch, keeping the order. A job's progress write and its completion may
            // share a batch: the progress statement runs first.
            while (batch.Count < MaxBatch && (carried is not null || reader.TryRead(out carried)))
            {
                if (carried.Completion is null && !progressOf.Add(carried.Write.Lease.JobId))
                {
                    break;
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
                // recorded as a retryable failure or left to the lease (JobRunner).
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
        var completions = batch.Where(p => p.Completion is not null).ToList();
        var written = await WriteAsync(new JobWriteManyParams(
            batch.Where(p => p.Completion is null).Select(p => p.Write).ToList(),
            completions.Select(p => p.Completion!).ToList(),
            MaxHintsPerWorkspace));

        var progressed = written.Progressed.ToDictionary(j => j.Id);
        var completed = written.Completed.ToDictionary(j => j.Id);
        foreach (var write in batch)
        {
            write.Done.TrySetResult((write.Completion is null ? progressed : completed).GetValueOrDefault(write.Write.Lease.JobId));
        }

        await Task.WhenAll(AckAsync(completions), hints.SendAsync(written.Hints));
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
            var entries = group.SelectMany(c => c.EntryIds).ToList();
            try
            {
                await queue.AckAsync(group.Key, entries);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not acknowledge {Count} entries on {Queue}", entries.Count, group.Key);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop;
    }

    private sealed record Pending(JobSetProgressParams Write, JobCompletion? Completion, string Queue, IReadOnlyList<string> EntryIds)
    {
        /// <summary>The caller's span (the job's run), linked from the group write's.</summary>
        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

        public TaskCompletionSource<Job?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
