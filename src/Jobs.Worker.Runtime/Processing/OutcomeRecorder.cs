using Jobs.Contracts.Jobs;
using Jobs.Contracts.Workspaces;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Hosting;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Processing;

/// <summary>
/// Writes what a run came to (<see cref="RunResult"/>) as its attempt's outcome, once, fenced by the lease. A completion
/// is queued in the group write (<see cref="AttemptWriter"/>), which acknowledges, publishes and hints for it with the
/// rest of its batch; any other outcome (a failure with backoff, a cancel, a hand-back) is written here, then published,
/// its stream entries acknowledged and its workspace's next jobs hinted.
/// </summary>
internal sealed class OutcomeRecorder(
    IJobStore store,
    AttemptWriter writer,
    JobEventBus bus,
    StreamAcks acks,
    HintSender hints,
    IOptions<WorkerOptions> options,
    ILogger<OutcomeRecorder> logger)
{
    private readonly RetryBackoff backoff = new(options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);

    public async Task RecordAsync(RunningJob running, string streamQueue, RunResult run, AttemptTrace trace)
    {
        var job = running.Job;
        var (outcome, completed) = run is RunResult.Completed completion
            ? await CompleteAsync(running, streamQueue, completion)
            : (await WriteAsync(job, run), false);

        if (outcome is null)
        {
            logger.LogWarning("Job {JobId} attempt {Attempt}: lease lost, outcome not written", job.Id, job.Attempt);
        }
        else
        {
            trace.SetStatus(outcome.Status);
            JobsMetrics.RecordOutcome(outcome, trace.Elapsed, handedBack: running.Reason == StopReason.Shutdown);
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
            await acks.AckAsync(streamQueue, running.EntryIds);
            // A slot of this workspace freed up: wake the pending jobs its concurrency limit held back.
            await HintWorkspaceAsync(job.WorkspaceId);
        }
    }

    /// <returns>The outcome, and whether it is the completion (which the writer acknowledged, published and hinted for).</returns>
    private async Task<(Job? Outcome, bool Completed)> CompleteAsync(RunningJob running, string streamQueue, RunResult.Completed completion)
    {
        try
        {
            // Checkpoint: a crash before this write runs the job again elsewhere once the lease expires. The worker's
            // slot is free once the completion is queued: the next claim need not wait for this commit.
            var write = writer.CompleteAsync(running, completion.Final, completion.Result, streamQueue);
            running.FreeSlot();
            return (await write, true);
        }
        catch (Exception ex)
        {
            // Recorded as a handler's error would be, once the reporter's queued writes are answered.
            await completion.Progress.DisposeAsync();
            return (await WriteAsync(running.Job, RunResult.Failed.Of(ex)), false);
        }
    }

    private async Task<Job?> WriteAsync(Job job, RunResult run) => run switch
    {
        RunResult.Failed failed => await FailAsync(job, failed),
        RunResult.Stopped { Reason: StopReason.CancelRequested } => await store.JobCancelIfRunningAsync(job.Lease, CancellationToken.None),
        RunResult.Stopped { Reason: StopReason.Shutdown } => await store.JobHandBackIfRunningAsync(job.Lease, CancellationToken.None),
        RunResult.Stopped { Reason: StopReason.TimedOut } =>
            await FailAsync(job, new RunResult.Failed($"Timed out after {job.TimeoutSeconds} s (attempt {job.Attempt}).", Retryable: true)),
        _ => null, // LeaseLost: another worker may own the job now; anything written here would be stale.
    };

    private async Task<Job?> FailAsync(Job job, RunResult.Failed failure)
    {
        if (failure.Unexpected is { } ex)
        {
            logger.LogWarning(ex, "Job {JobId} ({Type}) failed on attempt {Attempt}", job.Id, job.Type, job.Attempt);
        }

        TimeSpan? retryAfter = failure.Retryable && job.Attempt < job.MaxAttempts
            ? backoff.DelayAfter(job.Attempt, Random.Shared.NextDouble())
            : null;
        return await store.JobFailIfRunningAsync(job.Lease, failure.Error, retryAfter, CancellationToken.None);
    }

    // The fairness bound (NpgsqlJobStore.Hints.cs) lets a workspace's next job in only through a freed slot, so this
    // is what keeps its backlog moving; if it fails, the next maintenance tick does the same within the same bound.
    private async Task HintWorkspaceAsync(Guid workspaceId)
    {
        IReadOnlyList<JobHint> next;
        try
        {
            next = await store.JobHintDueAsync(
                new JobHintDueParams(workspaceId, StaleAfter: null, Limit: WorkspaceLimits.MaxHintsPerWorkspace, Leader: null), CancellationToken.None);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not hint the next jobs of workspace {WorkspaceId} ({Message}); maintenance will", workspaceId, ex.Message);
            return;
        }

        await hints.SendAsync(next);
    }
}
