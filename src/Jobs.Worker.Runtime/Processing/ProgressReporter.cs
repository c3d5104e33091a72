using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Storage;

namespace Jobs.Worker.Processing;

/// <summary>
/// Coalesces one attempt's progress (docs/design.md, "Live updates"): the latest values are written and published at
/// most once per interval by a flush that the first unwritten report schedules (an interval after the attempt started
/// or was last written, as a periodic timer would tick), while a stage change is written at once so the timeline
/// never misses one.
/// A write the fence rejects means the lease is lost, and the attempt is stopped.
/// <para>
/// Writes go through the worker's group write (<see cref="AttemptWriter"/>), which publishes them. A stage change is
/// queued there, not waited for: the handler goes on at once, and an outcome queued after it is written after it, or
/// with it when both meet in one batch. At most one stage write per attempt is in flight; a handler that changes stage
/// faster than the writer commits waits for the previous one. A queued write that fails is kept for the next write
/// (the outcome's included), so its stage event is lost only if the outcome was queued before the failure was known.
/// </para>
/// <para>
/// While the handler holds a <see cref="FencedTransaction"/> open, its progress is written directly and waited for: that
/// transaction share-locks the job's row, and a group write of it would hold every other job's write back until the
/// handler commits. A direct stage write that fails reaches the handler, which fails (and is retried) like any error.
/// </para>
/// <para>
/// No timer runs per attempt: a job that reports nothing between stage changes (most short jobs) costs no timer at all.
/// A periodic timer per attempt, cancelled when the job ended, cost the worker about a sixth of its CPU in the no-op
/// work-down: every cancellation threw, and the exception formatted its stack trace.
/// </para>
/// </summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private readonly IJobStore store;
    private readonly AttemptWriter writer;
    private readonly JobEventBus bus;
    private readonly JobLease lease;
    private readonly Action onLeaseLost;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly Lock stateLock = new();
    private readonly TimeSpan interval;

    private short progress;
    private string? stage;
    private long? processedItems;
    private long? totalItems;
    private string? message;
    private readonly JsonObject metrics;
    private bool dirty;
    // A stage change whose event is not written yet. Whichever flush writes next carries it, so that a periodic flush
    // that happens to write the new stage first cannot leave the timeline without the stage's event.
    private bool stageEventPending;
    private bool flushScheduled;
    // When the attempt started or its progress was last written (Stopwatch timestamps).
    private long lastWrite = Stopwatch.GetTimestamp();
    // The handler's last stage write, while the group write has it (the handler's calls are sequential).
    private Task stageWrite = Task.CompletedTask;
    // The last write queued in the group write, with its answer handled (never throws).
    private Task lastQueued = Task.CompletedTask;
    private volatile bool disposed;

    public ProgressReporter(Job job, IJobStore store, AttemptWriter writer, JobEventBus bus, TimeSpan interval, Action onLeaseLost)
    {
        this.store = store;
        this.writer = writer;
        this.bus = bus;
        this.onLeaseLost = onLeaseLost;
        lease = job.Lease;
        progress = job.Progress;
        stage = job.Stage;
        processedItems = job.ProcessedItems;
        totalItems = job.TotalItems;
        metrics = JsonNode.Parse(job.Metrics.GetRawText()) as JsonObject ?? [];
        this.interval = interval;
    }

    public async Task ReportAsync(int? percent, string? newStage, long? processed, long? total, string? newMessage)
    {
        bool stageChanged;
        lock (stateLock)
        {
            if (percent is { } p)
            {
                progress = (short)Math.Clamp(p, 0, 100);
            }

            stageChanged = newStage is not null && newStage != stage;
            stageEventPending |= stageChanged;
            stage = newStage ?? stage;
            processedItems = processed ?? processedItems;
            totalItems = total ?? totalItems;
            message = newMessage ?? message;
            MarkDirtyLocked(scheduleFlush: !stageChanged);
        }

        if (stageChanged)
        {
            if (stageWrite is { IsCompleted: false } previous)
            {
                await previous;
            }

            stageWrite = await FlushAsync(stageChanged: true);
        }
    }

    public void SetMetric(string name, JsonNode? value)
    {
        lock (stateLock)
        {
            metrics[name] = value?.DeepClone();
            MarkDirtyLocked(scheduleFlush: true);
        }
    }

    /// <summary>
    /// The last reported values, for the completion write, with the stage event of a stage write that failed (a stage
    /// change at the very end is not an event of its own: the completed event carries the stage).
    /// </summary>
    public JobSetProgressParams Snapshot()
    {
        lock (stateLock)
        {
            return SnapshotLocked(stageEventPending);
        }
    }

    private JobSetProgressParams SnapshotLocked(bool stageChanged) =>
        new(lease, progress, stage, processedItems, totalItems, JsonSerializer.SerializeToElement(metrics), message, stageChanged);

    private void MarkDirtyLocked(bool scheduleFlush)
    {
        dirty = true;
        if (scheduleFlush && !flushScheduled && !disposed)
        {
            flushScheduled = true;
            _ = FlushLaterAsync(interval - Stopwatch.GetElapsedTime(lastWrite));
        }
    }

    /// <summary>The scheduled flush, with whatever is latest when it runs.</summary>
    private async Task FlushLaterAsync(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }
        else
        {
            // Never inline: the caller holds the state lock.
            await Task.Yield();
        }

        lock (stateLock)
        {
            flushScheduled = false;
        }

        try
        {
            await await FlushAsync(stageChanged: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nobody awaits this flush: what it could not write stays for the next one or the outcome.
        }
    }

    /// <summary>
    /// Writes what is new: queued in the group write (the task returned completes once it is written and its answer
    /// handled, and never throws), or, while the handler's fenced transaction is open, written and published here.
    /// </summary>
    /// <param name="stageChanged">True for the handler's own write of a stage change; false for a scheduled flush.</param>
    private async Task<Task> FlushAsync(bool stageChanged)
    {
        await writeLock.WaitAsync();
        try
        {
            JobSetProgressParams parameters;
            lock (stateLock)
            {
                // Once the attempt ends its outcome carries the final values; a scheduled flush must not follow it.
                if (!dirty || (disposed && !stageChanged))
                {
                    return Task.CompletedTask;
                }

                dirty = false;
                lastWrite = Stopwatch.GetTimestamp();
                parameters = SnapshotLocked(stageEventPending);
                stageEventPending = false;
                message = null;
            }

            if (FencedTransaction.IsOpenFor(lease.JobId))
            {
                await WriteDirectAsync(parameters, stageChanged);
                return Task.CompletedTask;
            }

            // Queued under the lock, so that writes reach the group write in the order they were taken; the group
            // write writes them in that order, so the last one done means all are.
            return lastQueued = HandleQueuedAsync(writer.SetProgressAsync(parameters), parameters);
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task HandleQueuedAsync(Task<Job?> write, JobSetProgressParams parameters)
    {
        Job? job;
        try
        {
            job = await write;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Keep the values (and the stage event they carried) for the next write.
            Requeue(parameters);
            return;
        }

        if (job is null)
        {
            onLeaseLost();
        }
    }

    private async Task WriteDirectAsync(JobSetProgressParams parameters, bool stageChanged)
    {
        Job? job;
        try
        {
            job = await store.JobSetProgressIfRunningAsync(parameters, CancellationToken.None);
        }
        catch (Exception ex) when ((ex is Npgsql.NpgsqlException or TimeoutException) && !stageChanged)
        {
            // Progress is best effort; the handler's own write of a stage change fails the handler instead.
            Requeue(parameters);
            return;
        }

        if (job is null)
        {
            onLeaseLost();
            return;
        }

        await bus.PublishAsync(job, parameters.Message);
    }

    private void Requeue(JobSetProgressParams parameters)
    {
        lock (stateLock)
        {
            stageEventPending |= parameters.StageChanged;
            MarkDirtyLocked(scheduleFlush: true);
        }
    }

    /// <summary>
    /// Stops scheduled flushes, for an outcome queued in the same group write, which writes it after everything queued
    /// before: a flush in progress is waited for only until it is queued.
    /// </summary>
    public async Task StopBeforeQueuedOutcomeAsync()
    {
        lock (stateLock)
        {
            disposed = true;
        }

        // Wait for a flush in progress so it cannot land after the outcome; any later one finds the reporter disposed.
        await writeLock.WaitAsync();
        writeLock.Release();
    }

    /// <summary>
    /// Stops scheduled flushes and waits until every write queued in the group write is written, for an outcome written
    /// outside it (a failure, a cancel, a hand-back), which a queued write must not follow: the fence would refuse that
    /// write and its stage event would be lost.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await StopBeforeQueuedOutcomeAsync();
        await lastQueued;
    }
}
