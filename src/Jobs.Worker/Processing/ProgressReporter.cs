using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Events;
using Jobs.Core.Jobs;
using Jobs.Core.Storage;

namespace Jobs.Worker.Processing;

/// <summary>
/// Coalesces one attempt's progress (DESIGN §6): the latest values are written and published at most once per
/// interval by a background flush, while a stage change is written at once so the timeline never misses one.
/// A write the fence rejects means the lease is lost, and the attempt is stopped.
/// </summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private readonly IJobStore store;
    private readonly AttemptWriter writer;
    private readonly JobEventBus bus;
    private readonly JobLease lease;
    private readonly Action onLeaseLost;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly Task flushLoop;
    private readonly Lock stateLock = new();

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
    private int disposed;

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
        flushLoop = FlushLoopAsync(interval);
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
            dirty = true;
        }

        if (stageChanged)
        {
            await FlushAsync(stageChanged: true, CancellationToken.None);
        }
    }

    public void SetMetric(string name, JsonNode? value)
    {
        lock (stateLock)
        {
            metrics[name] = value?.DeepClone();
            dirty = true;
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

    private async Task FlushLoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                await FlushAsync(stageChanged: false, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <param name="stageChanged">True for the handler's own write of a stage change, which it waits for; false for the periodic flush.</param>
    private async Task FlushAsync(bool stageChanged, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            JobSetProgressParams parameters;
            lock (stateLock)
            {
                if (!dirty)
                {
                    return;
                }

                dirty = false;
                parameters = SnapshotLocked(stageEventPending);
                stageEventPending = false;
                message = null;
            }

            Job? job;
            try
            {
                // Grouped with the other slots' writes (AttemptWriter), unless the handler holds its row locked now.
                job = FencedTransaction.IsOpenFor(lease.JobId)
                    ? await store.JobSetProgressIfRunningAsync(parameters, cancellationToken)
                    : await writer.SetProgressAsync(parameters).WaitAsync(cancellationToken);
            }
            catch (Exception ex) when ((ex is Npgsql.NpgsqlException or TimeoutException) && !stageChanged)
            {
                // Progress is best effort: keep the values (and the stage event they carried) for the next write. A stage
                // change must not be lost, so the failure of the handler's own write of it reaches the handler, which
                // then fails (and is retried) like any other error.
                lock (stateLock)
                {
                    dirty = true;
                    stageEventPending |= parameters.StageChanged;
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

    /// <summary>Stops the background flush; the caller writes the final state with the outcome.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync();
        await flushLoop;
        // Wait for a flush in progress so it cannot land after the outcome.
        await writeLock.WaitAsync();
        writeLock.Release();
        stop.Dispose();
    }
}
