using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Events;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;

namespace Jobs.Worker.Processing;

/// <summary>
/// Coalesces one attempt's progress (docs/design.md, "Live updates"): the latest values are written and published at
/// most once per interval by a flush that the first unwritten report schedules (an interval after the attempt started
/// or was last written, as a periodic timer would tick), while a stage change is written at once so the
/// timeline never misses one. A write the fence rejects means the lease is lost, and the attempt is stopped.
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
            await FlushAsync(stageChanged: true);
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

    /// <summary>The last reported values, for the completion write.</summary>
    public JobSetProgressParams Snapshot()
    {
        lock (stateLock)
        {
            return SnapshotLocked(stageChanged: false);
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
            await FlushAsync(stageChanged: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nobody awaits this flush: what it could not write stays for the next one or the outcome.
        }
    }

    /// <param name="stageChanged">True for the handler's own write of a stage change, which it waits for; false for a scheduled flush.</param>
    private async Task FlushAsync(bool stageChanged)
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
                    return;
                }

                dirty = false;
                lastWrite = Stopwatch.GetTimestamp();
                parameters = SnapshotLocked(stageEventPending);
                stageEventPending = false;
                message = null;
            }

            Job? job;
            try
            {
                // Grouped with the other slots' writes (AttemptWriter), unless the handler holds its row locked now.
                job = FencedTransaction.IsOpenFor(lease.JobId)
                    ? await store.JobSetProgressIfRunningAsync(parameters, CancellationToken.None)
                    : await writer.SetProgressAsync(parameters);
            }
            catch (Exception ex) when ((ex is Npgsql.NpgsqlException or TimeoutException) && !stageChanged)
            {
                // Progress is best effort: keep the values (and the stage event they carried) for the next write. A stage
                // change must not be lost, so the failure of the handler's own write of it reaches the handler, which
                // then fails (and is retried) like any other error.
                lock (stateLock)
                {
                    stageEventPending |= parameters.StageChanged;
                    MarkDirtyLocked(scheduleFlush: true);
                }

                return;
            }

            if (job is null)
            {
                onLeaseLost();
                return;
            }

            await bus.PublishAsync(job, parameters.Message);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Stops scheduled flushes; the caller writes the final state with the outcome.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (stateLock)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        // Wait for a flush in progress so it cannot land after the outcome; any later one finds the reporter disposed.
        await writeLock.WaitAsync();
        writeLock.Release();
    }
}
