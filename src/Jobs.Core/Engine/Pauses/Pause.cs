using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Pauses;

/// <summary>What a pause holds back in a workspace: all jobs of a queue, or all jobs of a job type.</summary>
public enum PauseKind
{
    Queue,
    Type,
}

/// <summary>A row of <c>workspace_pauses</c>: a queue or job type whose jobs are not started (docs/design.md, "Pausing").</summary>
public sealed record Pause(PauseKind Kind, string Name, DateTimeOffset PausedAt, Guid? PausedBy, string? PausedByEmail);

/// <summary>A workspace's paused queues and job types, each by name.</summary>
public sealed record WorkspacePauses(IReadOnlyList<Pause> Queues, IReadOnlyList<Pause> Types)
{
    /// <summary>
    /// Why a pending job of <paramref name="type"/> on <paramref name="queue"/> is not started, or null when neither is
    /// paused. A paused queue is named first: it holds back every type on it.
    /// </summary>
    public string? WaitingReason(string type, string queue) =>
        Queues.Any(p => p.Name == queue) ? JobWaitingReason.QueuePaused
        : Types.Any(p => p.Name == type) ? JobWaitingReason.TypePaused
        : null;
}
