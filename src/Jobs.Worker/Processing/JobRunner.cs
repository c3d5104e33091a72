using System.Diagnostics;
using System.Text.Json;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Hosting;
using Jobs.Core.Identity;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Processing;

/// <summary>Runs one claimed attempt to its outcome and writes that outcome once, fenced by the lease.</summary>
internal sealed class JobRunner(
    IEnumerable<IJobHandler> handlers,
    IJobStore store,
    AttemptWriter writer,
    JobEventBus bus,
    StreamAcks acks,
    HintSender hints,
    IOptions<WorkerOptions> options,
    ILogger<JobRunner> logger)
{
    private readonly Dictionary<string, IJobHandler> handlersByType = handlers.ToDictionary(h => h.Definition.Name, StringComparer.Ordinal);
    private readonly RetryBackoff backoff = new(options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);

    public IEnumerable<string> Queues => handlersByType.Values.Select(h => h.Definition.Queue).Distinct(StringComparer.Ordinal);

    public IEnumerable<IJobHandler> Handlers => handlersByType.Values;

    public async Task RunAsync(RunningJob running, StreamHint hint)
    {
        var job = running.Job;
        using var activity = StartActivity(job, hint);
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(job.TimeoutSeconds));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(running.Token, timeout.Token);

        Job? outcome;
        // A completion is acknowledged, published and its workspace hinted by the writer, with the rest of its batch.
        var completed = false;
        var reporter = new ProgressReporter(job, store, writer, bus, options.Value.ProgressInterval, () => running.Stop(StopReason.LeaseLost));
        try
        {
            if (!handlersByType.TryGetValue(job.Type, out var handler))
            {
                throw new NonRetryableJobException($"This worker has no handler for job type '{job.Type}'.");
            }

            var result = await handler.HandleAsync(new JobContext(job, reporter), linked.Token);
            await reporter.StopBeforeQueuedOutcomeAsync();
            // Checkpoint: a crash before this write runs the job again elsewhere once the lease expires. The worker's
            // slot is free once the completion is queued: the next claim need not wait for this commit.
            var completion = writer.CompleteAsync(running, reporter.Snapshot(), result, hint.Queue);
            running.FreeSlot();
            outcome = await completion;
            completed = true;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            await reporter.DisposeAsync();
            var reason = running.Reason != StopReason.None ? running.Reason : StopReason.TimedOut;
            outcome = reason switch
            {
                StopReason.CancelRequested => await store.JobCancelIfRunningAsync(running.Lease, CancellationToken.None),
                StopReason.Shutdown => await store.JobHandBackIfRunningAsync(running.Lease, CancellationToken.None),
                StopReason.TimedOut => await FailAsync(job, $"Timed out after {job.TimeoutSeconds} s (attempt {job.Attempt}).", retryable: true),
                _ => null, // LeaseLost: another worker may own the job now; anything written here would be stale.
            };
        }
        catch (Exception ex) when (ex is NonRetryableJobException or JsonException)
        {
            await reporter.DisposeAsync();
            outcome = await FailAsync(job, ex.Message, retryable: false);
        }
        catch (Exception ex)
        {
            await reporter.DisposeAsync();
            logger.LogWarning(ex, "Job {JobId} ({Type}) failed on attempt {Attempt}", job.Id, job.Type, job.Attempt);
            outcome = await FailAsync(job, $"{ex.GetType().Name}: {ex.Message}", retryable: true);
        }

        if (outcome is null)
        {
            logger.LogWarning("Job {JobId} attempt {Attempt}: lease lost, outcome not written", job.Id, job.Attempt);
        }
        else
        {
            activity?.SetTag("job.status", outcome.Status);
            JobsMetrics.RecordOutcome(outcome, Stopwatch.GetElapsedTime(started), handedBack: running.Reason == StopReason.Shutdown);
            if (!completed)
            {
                // A completion is published by the writer, with the rest of its batch.
                await bus.PublishAsync(outcome, outcome.Error);
            }
            if (outcome.Status == JobStatus.Pending && running.Reason == StopReason.Shutdown)
            {
                await hints.SendAsync([new JobHint(job.Id, job.WorkspaceId, job.Queue)]);
            }
        }

        if (!completed)
        {
            // The entry is acknowledged only now, after the attempt's outcome is recorded
            // (docs/design.md, "Delivery invariants").
            await acks.AckAsync(hint.Queue, running.EntryIds);
            // A slot of this workspace freed up: wake the pending jobs its concurrency limit held back.
            await HintWorkspaceAsync(job.WorkspaceId);
        }
    }

    private async Task<Job?> FailAsync(Job job, string error, bool retryable)
    {
        TimeSpan? retryAfter = retryable && job.Attempt < job.MaxAttempts
            ? backoff.DelayAfter(job.Attempt, Random.Shared.NextDouble())
            : null;
        return await store.JobFailIfRunningAsync(job.Lease, error, retryAfter, CancellationToken.None);
    }

    // The fairness bound (NpgsqlJobStore.Hints.cs) lets a workspace's next job in only through a freed slot, so this
    // is what keeps its backlog moving; if it fails, the next maintenance tick does the same within the same bound.
    private async Task HintWorkspaceAsync(Guid workspaceId)
    {
        IReadOnlyList<JobHint> next;
        try
        {
            next = await store.JobEnqueueDueAsync(
                new JobEnqueueDueParams(workspaceId, StaleAfter: null, Limit: WorkspaceLimits.MaxHintsPerWorkspace, Leader: null), CancellationToken.None);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not hint the next jobs of workspace {WorkspaceId} ({Message}); maintenance will", workspaceId, ex.Message);
            return;
        }

        await hints.SendAsync(next);
    }

    private static Activity? StartActivity(Job job, StreamHint hint)
    {
        // The trace runs from the submit request through the stream to here (docs/design.md, "Conventions").
        ActivityContext.TryParse(hint.TraceParent, hint.TraceState, out var parent);
        var activity = JobsTelemetry.ActivitySource.StartActivity($"run {job.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("job.id", job.Id);
        activity?.SetTag("job.type", job.Type);
        activity?.SetTag("job.attempt", job.Attempt);
        activity?.SetTag("workspace.id", job.WorkspaceId);
        return activity;
    }
}
