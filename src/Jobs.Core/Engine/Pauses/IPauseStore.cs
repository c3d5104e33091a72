using Jobs.Core.Identity;

namespace Jobs.Core.Engine.Pauses;

/// <summary>
/// Paused queues and job types per workspace (docs/design.md, "Pausing"). A pause only keeps the fills from hinting
/// the jobs it names; the caller of a resume hints the workspace's next jobs itself, as after a freed slot.
/// </summary>
public interface IPauseStore
{
    Task<WorkspacePauses> PauseListAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>
    /// Pauses <paramref name="name"/> in the caller's workspace, audited; pausing what is already paused changes
    /// nothing and returns the pause as it was.
    /// </summary>
    Task<Pause> PauseSetAsync(Caller caller, PauseKind kind, string name, CancellationToken cancellationToken);

    /// <summary>Resumes <paramref name="name"/>, audited; false (and nothing audited) when it was not paused.</summary>
    Task<bool> PauseClearAsync(Caller caller, PauseKind kind, string name, CancellationToken cancellationToken);
}
