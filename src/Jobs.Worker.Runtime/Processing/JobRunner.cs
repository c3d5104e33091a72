using Jobs.Core.Engine;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Storage;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Processing;

/// <summary>
/// Runs a handler for one claimed attempt, within the job's timeout and until the attempt is stopped, and says how it
/// ended (<see cref="RunResult"/>); writing that outcome is <see cref="OutcomeRecorder"/>'s. The attempt's progress
/// reporter lives as long as the run: it is stopped before a completion is handed on, and disposed (its queued writes
/// waited for) before any other outcome is.
/// </summary>
internal sealed class JobRunner(
    IEnumerable<IJobHandler> handlers,
    IJobStore store,
    AttemptWriter writer,
    JobEventBus bus,
    IOptions<WorkerOptions> options)
{
    private readonly Dictionary<string, IJobHandler> handlersByType = handlers.ToDictionary(h => h.Definition.Name, StringComparer.Ordinal);

    public IEnumerable<string> Queues => handlersByType.Values.Select(h => h.Definition.Queue).Distinct(StringComparer.Ordinal);

    public IEnumerable<IJobHandler> Handlers => handlersByType.Values;

    public async Task<RunResult> RunAsync(RunningJob running)
    {
        var job = running.Job;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(job.TimeoutSeconds));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(running.Token, timeout.Token);
        var reporter = new ProgressReporter(job, store, writer, bus, options.Value.ProgressInterval, () => running.Stop(StopReason.LeaseLost));
        try
        {
            if (!handlersByType.TryGetValue(job.Type, out var handler))
            {
                throw new NonRetryableJobException($"This worker has no handler for job type '{job.Type}'.");
            }

            var result = await handler.HandleAsync(new JobContext(job, reporter), linked.Token);
            // The completion is queued in the group write, behind the progress writes already there.
            await reporter.StopBeforeQueuedOutcomeAsync();
            return new RunResult.Completed(result, reporter.Snapshot(), reporter);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            await reporter.DisposeAsync();
            // Read after the reporter's last write is answered: a write that found the lease gone stops the attempt.
            return new RunResult.Stopped(running.Reason != StopReason.None ? running.Reason : StopReason.TimedOut);
        }
        catch (Exception ex)
        {
            await reporter.DisposeAsync();
            return RunResult.Failed.Of(ex);
        }
    }
}
