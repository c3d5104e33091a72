namespace Jobs.Contracts.Jobs;

/// <summary>
/// Why a pending job is not started although it is due: the <c>waitingReason</c> of a job (null when nothing but a
/// free slot or a worker is awaited).
/// </summary>
public static class JobWaitingReason
{
    /// <summary>The job's queue is paused in its workspace.</summary>
    public const string QueuePaused = "queue_paused";

    /// <summary>The job's type is paused in its workspace.</summary>
    public const string TypePaused = "type_paused";

    public static IReadOnlyList<string> All { get; } = [QueuePaused, TypePaused];
}
