using System.Diagnostics;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Hosting;

namespace Jobs.Worker.Processing;

/// <summary>
/// The span and the clock of one attempt on this worker, from its handler's start until its outcome is recorded. The
/// trace runs from the submit request through the stream entry to here (docs/design.md, "Conventions"); the outcome's
/// writes fall within the span (the group write links to it), and the duration metric counts them too.
/// </summary>
internal sealed class AttemptTrace : IDisposable
{
    private readonly Activity? activity;
    private readonly long started;

    private AttemptTrace(Activity? activity)
    {
        this.activity = activity;
        started = Stopwatch.GetTimestamp();
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

    /// <summary>Starts the attempt's <c>run {type}</c> span as the current activity, under the hint's trace context.</summary>
    public static AttemptTrace Start(Job job, StreamHint hint)
    {
        ActivityContext.TryParse(hint.TraceParent, hint.TraceState, out var parent);
        var activity = JobsTelemetry.ActivitySource.StartActivity($"run {job.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("job.id", job.Id);
        activity?.SetTag("job.type", job.Type);
        activity?.SetTag("job.attempt", job.Attempt);
        activity?.SetTag("workspace.id", job.WorkspaceId);
        return new AttemptTrace(activity);
    }

    public void SetStatus(string status) => activity?.SetTag("job.status", status);

    public void Dispose() => activity?.Dispose();
}
