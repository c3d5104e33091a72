namespace Jobs.Core.Engine.Dependencies;

/// <summary>
/// Reads of job dependencies (docs/design.md, "Dependencies"), scoped to a workspace. They are written with the job
/// (the job store's insert) and resolved by the database's trigger on the dependencies' final transitions; nothing
/// here changes a job.
/// </summary>
public interface IJobDependencyStore
{
    /// <summary>Which of <paramref name="jobIds"/> are jobs of the workspace; another workspace's ids are as unknown.</summary>
    Task<IReadOnlySet<Guid>> JobDependencyExistingAsync(Guid workspaceId, IReadOnlyList<Guid> jobIds, CancellationToken cancellationToken);

    /// <summary>What the job waits for, with each one's status, and how many are unfinished; null for an unknown job.</summary>
    Task<JobDependencies?> JobDependencyGetAsync(Guid workspaceId, Guid jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The jobs that wait for <paramref name="jobId"/>, oldest first; <paramref name="cursor"/> is the id to continue
    /// after (exclusive). Null for an unknown job.
    /// </summary>
    Task<JobDependentPage?> JobDependentListAsync(Guid workspaceId, Guid jobId, int limit, Guid? cursor, CancellationToken cancellationToken);
}

/// <summary>Another job, as a dependency or dependent shows it.</summary>
public sealed record JobDependencyLink(Guid Id, string Type, string Status);

/// <summary>
/// A job's dependencies: <see cref="WaitingFor"/> is how many have not finished yet (0 once it is due, and after a
/// retry); <see cref="OnDependencyFailure"/> its <see cref="JobDependencyPolicy"/>.
/// </summary>
public sealed record JobDependencies(IReadOnlyList<JobDependencyLink> DependsOn, int WaitingFor, string OnDependencyFailure);

public sealed record JobDependentPage(IReadOnlyList<JobDependencyLink> Items, Guid? NextCursor);
