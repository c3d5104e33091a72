using Jobs.Core.Engine.Catalog;

namespace Jobs.Core.Engine.Storage;

/// <summary>What the worker processes share besides jobs: who is alive, who leads maintenance, which job types exist.</summary>
public interface IClusterStore
{
    Task WorkerHeartbeatAsync(WorkerInfo worker, CancellationToken cancellationToken);

    Task WorkerDeleteAsync(string workerId, CancellationToken cancellationToken);

    /// <summary>Workers whose heartbeat is younger than <paramref name="liveWithin"/>.</summary>
    Task<IReadOnlyList<WorkerInfo>> WorkerListLiveAsync(TimeSpan liveWithin, CancellationToken cancellationToken);

    /// <summary>Removes the rows of workers silent for longer than <paramref name="deadAfter"/>.</summary>
    Task<int> WorkerDeleteDeadAsync(TimeSpan deadAfter, CancellationToken cancellationToken);

    /// <summary>
    /// Becomes (or stays) leader of <paramref name="name"/> when nobody holds an unexpired term. Returns the term held,
    /// or null when another process leads.
    /// </summary>
    Task<LeaderTerm?> LeaderAttemptElectAsync(string name, string leaderId, TimeSpan ttl, CancellationToken cancellationToken);

    Task LeaderResignAsync(string name, string leaderId, CancellationToken cancellationToken);

    Task JobTypeUpsertManyAsync(IReadOnlyList<JobTypeDefinition> definitions, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobTypeDefinition>> JobTypeListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The platform secret <paramref name="name"/>: the one stored, or <paramref name="candidate"/> stored now when there
    /// is none. Every instance that asks gets the same bytes.
    /// </summary>
    Task<byte[]> PlatformSecretGetOrCreateAsync(string name, byte[] candidate, CancellationToken cancellationToken);
}
