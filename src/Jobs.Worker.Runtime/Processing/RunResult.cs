using System.Text.Json;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Storage;

namespace Jobs.Worker.Processing;

/// <summary>
/// How a handler's run of one attempt ended (<see cref="JobRunner"/>), for <see cref="OutcomeRecorder"/> to write as
/// the attempt's outcome. By then the attempt's progress reporter has stopped: no progress write follows the outcome.
/// </summary>
internal abstract record RunResult
{
    private RunResult()
    {
    }

    /// <summary>
    /// The handler returned <paramref name="Result"/>; <paramref name="Final"/> is its last progress, written with the
    /// completion. <paramref name="Progress"/> is stopped, but its queued writes may still be in flight: it is disposed
    /// before anything else is written in the completion's place.
    /// </summary>
    public sealed record Completed(JsonElement Result, JobSetProgressParams Final, ProgressReporter Progress) : RunResult;

    /// <summary>
    /// The handler (or the completion's write) threw. <paramref name="Unexpected"/> is the exception of a retryable
    /// failure, logged with it; an error a retry cannot fix is expected and only recorded.
    /// </summary>
    public sealed record Failed(string Error, bool Retryable, Exception? Unexpected = null) : RunResult
    {
        /// <summary>
        /// <see cref="NonRetryableJobException"/> and an unreadable payload fail at once; anything else is retried
        /// while attempts remain.
        /// </summary>
        public static Failed Of(Exception ex) => ex is NonRetryableJobException or JsonException
            ? new(ex.Message, Retryable: false)
            : new($"{ex.GetType().Name}: {ex.Message}", Retryable: true, ex);
    }

    /// <summary>The handler's token was cancelled, for <paramref name="Reason"/> (the attempt's own, or its timeout).</summary>
    public sealed record Stopped(StopReason Reason) : RunResult;
}
