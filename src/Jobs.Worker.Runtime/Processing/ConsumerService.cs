using System.Collections.Concurrent;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Jobs.Worker.Processing;

/// <summary>
/// The worker's main loop: reads hints from the streams of the queues it serves, claims the jobs
/// (docs/design.md, "Delivery invariants"), runs them in up to <see cref="WorkerOptions.Slots"/> slots
/// (<see cref="JobRunner"/>) and records their outcomes (<see cref="OutcomeRecorder"/>), extends their leases, stops
/// them on cancel, and on shutdown lets them finish for a grace period before handing the rest back.
/// </summary>
internal sealed class ConsumerService(
    JobRunner runner,
    OutcomeRecorder recorder,
    IJobStore store,
    IClusterStore cluster,
    JobQueue queue,
    StreamAcks acks,
    JobEventBus bus,
    WorkerSignals signals,
    WorkerIdentity identity,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ConsumerService> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, (RunningJob Job, Task Task)> running = new();
    private readonly SemaphoreSlim slotFreed = new(0);
    // Slots in use: a running handler, or none once its outcome is queued (RunningJob.FreeSlot), though the attempt stays
    // in running until that outcome is committed.
    private int busySlots;
    private readonly WorkerOptions settings = options.Value;
    private readonly HeldHints held = new(time, logger);

    /// <summary>
    /// Fault injection for tests: while set, this worker neither extends its leases nor takes new work, as in a long
    /// GC pause or a network partition; handlers already running carry on and their writes meet the fence.
    /// </summary>
    internal bool HeartbeatsPaused { get; set; }

    internal int RunningCount => running.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queues = runner.Queues.ToArray();
        await cluster.JobTypeUpsertManyAsync(runner.Handlers.Select(h => h.Definition).ToList(), stoppingToken);
        await RegisterAsync(queues, stoppingToken);
        await signals.StartAsync(queues, OnCancelRequested, stoppingToken);
        logger.LogInformation("Worker {WorkerId} serving {Queues} with {Slots} slots", identity.Id, string.Join(", ", queues), settings.Slots);

        var heartbeat = HeartbeatLoopAsync(queues, stoppingToken);
        // No new claims from the moment shutdown begins (SIGTERM), not only once the host gets round to stopping this
        // service after the others; heartbeats go on until then for the jobs that are draining.
        using var fetching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await FetchLoopAsync(queues, fetching.Token);
        }
        catch (OperationCanceledException) when (fetching.IsCancellationRequested)
        {
        }

        await DrainAsync();
        await heartbeat;
        await cluster.WorkerDeleteAsync(identity.Id, CancellationToken.None);
    }

    private async Task FetchLoopAsync(string[] queues, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = settings.Slots - Volatile.Read(ref busySlots);
            if (free <= 0 || HeartbeatsPaused)
            {
                await slotFreed.WaitAsync(settings.PollInterval, stoppingToken);
                continue;
            }

            var hints = held.Take(free);
            var retrying = hints.Count;
            try
            {
                foreach (var name in queues)
                {
                    if (hints.Count >= free)
                    {
                        break;
                    }

                    hints.AddRange(await queue.ReadAsync(name, identity.Id, free - hints.Count));
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Cannot read the streams ({Message}); retrying", ex.Message);
                held.Return();
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                continue;
            }

            if (hints.Count == 0)
            {
                await signals.WaitForWakeAsync(settings.PollInterval, stoppingToken);
                continue;
            }

            if (hints.Count == retrying)
            {
                // Only hints to try again: give the transaction holding their jobs a moment to commit.
                await Task.Delay(HeldHints.RetryDelay, time, stoppingToken);
            }

            await ClaimAndStartAsync(hints, stoppingToken);
        }
    }

    private async Task ClaimAndStartAsync(List<StreamHint> hints, CancellationToken stoppingToken)
    {
        var valid = hints.Where(h => h.JobId != Guid.Empty).ToList();
        JobClaimResult result;
        try
        {
            result = valid.Count == 0
                ? new JobClaimResult([], [])
                : await store.JobClaimManyAsync(new JobClaimManyParams(valid.Select(h => h.JobId).ToList(), identity.Id, settings.LeaseDuration), stoppingToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            // Leave the entries unacknowledged: maintenance hands them on if this worker never comes back to them.
            logger.LogWarning("Claim failed ({Message}); retrying", ex.Message);
            held.Return();
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            return;
        }

        var claimed = result.Claimed;
        var now = time.GetUtcNow();
        var won = claimed.ToDictionary(j => j.Id);
        var kept = held.Keep(hints, result.Busy);

        // Sent before the handlers start, so that no progress update of theirs overtakes it (one connection writes
        // commands in order), but not waited for: a slot does not idle on a PUBLISH round trip. One PUBLISH per
        // workspace; failures are logged by the bus; clients read the row.
        var started = bus.PublishManyAsync(claimed.Select(j => (j, (string?)$"attempt {j.Attempt} of {j.MaxAttempts} started")));
        Interlocked.Add(ref busySlots, claimed.Count);
        foreach (var job in claimed)
        {
            JobsMetrics.Claimed.Add(1, JobsMetrics.Type(job.Type));
            JobsMetrics.QueueWait.Record(Math.Max(0, (now - (job.RunAt > job.CreatedAt ? job.RunAt : job.CreatedAt)).TotalSeconds), JobsMetrics.Type(job.Type));
            var entries = hints.Where(h => h.JobId == job.Id).ToList();
            var attempt = new RunningJob(job, entries.Select(e => e.EntryId).ToList(), now, FreeSlot);
            // Registered before it starts, so that its own clean-up always finds it.
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            running[job.Id] = (attempt, Task.Run(() => RunTrackedAsync(attempt, entries[0], registered.Task), CancellationToken.None));
            registered.SetResult();
        }

        foreach (var group in hints.GroupBy(h => h.Queue))
        {
            // Losers (already claimed elsewhere, cancelled, over their workspace's limit, unknown) are dropped; the
            // busy ones wait in their consumer's pending list until claimed again.
            var dropped = group.Where(h => !won.ContainsKey(h.JobId) && !kept.Contains(h.JobId)).Select(h => h.EntryId).ToList();
            await acks.AckAsync(group.Key, dropped);
        }

        await started;
    }

    private void FreeSlot()
    {
        Interlocked.Decrement(ref busySlots);
        slotFreed.Release();
    }

    private async Task RunTrackedAsync(RunningJob attempt, StreamHint hint, Task registered)
    {
        await registered;
        try
        {
            using var trace = AttemptTrace.Start(attempt.Job, hint);
            var run = await runner.RunAsync(attempt);
            await recorder.RecordAsync(attempt, hint.Queue, run, trace);
        }
        catch (Exception ex)
        {
            // The outcome could not be written (database down?): the lease expires and maintenance takes the job back.
            logger.LogError(ex, "Job {JobId} attempt {Attempt} ended without a recorded outcome", attempt.Job.Id, attempt.Job.Attempt);
        }
        finally
        {
            running.TryRemove(attempt.Job.Id, out _);
            attempt.Dispose();
        }
    }

    private async Task HeartbeatLoopAsync(string[] queues, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(queues, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task BeatAsync(string[] queues, CancellationToken cancellationToken)
    {
        var attempts = running.Values.Select(r => r.Job).ToList();
        try
        {
            await RegisterAsync(queues, cancellationToken);
            if (HeartbeatsPaused || attempts.Count == 0)
            {
                return;
            }

            var started = time.GetUtcNow();
            var held = (await store.JobHeartbeatManyAsync(identity.Id, attempts.Select(a => a.Lease).ToList(), settings.LeaseDuration, cancellationToken))
                .ToDictionary(h => h.JobId);
            foreach (var attempt in attempts)
            {
                if (!held.TryGetValue(attempt.Job.Id, out var beat))
                {
                    logger.LogWarning("Job {JobId}: lease lost, stopping its handler", attempt.Job.Id);
                    attempt.Stop(StopReason.LeaseLost);
                }
                else if (beat.CancelRequested)
                {
                    attempt.Stop(StopReason.CancelRequested);
                }
                else
                {
                    attempt.LeaseConfirmedAt = started;
                }
            }
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            // Past the lease, another worker may already run the job, so this one must stop
            // (docs/design.md, "Leases and fencing").
            logger.LogWarning("Heartbeat failed ({Message})", ex.Message);
            foreach (var attempt in attempts.Where(a => time.GetUtcNow() - a.LeaseConfirmedAt > settings.LeaseDuration))
            {
                attempt.Stop(StopReason.LeaseLost);
            }
        }
    }

    private Task RegisterAsync(string[] queues, CancellationToken cancellationToken) =>
        cluster.WorkerHeartbeatAsync(new WorkerInfo(identity.Id, Environment.MachineName, queues, settings.Slots, identity.StartedAt, time.GetUtcNow()), cancellationToken);

    private void OnCancelRequested(Guid jobId)
    {
        if (running.TryGetValue(jobId, out var attempt))
        {
            attempt.Job.Stop(StopReason.CancelRequested);
        }
    }

    private async Task DrainAsync()
    {
        var tasks = running.Values.Select(r => r.Task).ToArray();
        if (tasks.Length == 0)
        {
            return;
        }

        logger.LogInformation("Shutting down: waiting up to {Grace} for {Count} running jobs", settings.ShutdownGracePeriod, tasks.Length);
        try
        {
            await Task.WhenAll(tasks).WaitAsync(settings.ShutdownGracePeriod, time);
        }
        catch (TimeoutException)
        {
            foreach (var (attempt, _) in running.Values)
            {
                attempt.Stop(StopReason.Shutdown);
            }

            await Task.WhenAll(running.Values.Select(r => r.Task));
        }
    }
}
