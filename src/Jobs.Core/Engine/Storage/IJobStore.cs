using Jobs.Core.Engine;

namespace Jobs.Core.Engine.Storage;

/// <summary>
/// The storage seam of the engine: PostgreSQL is the source of truth (docs/design.md, "Delivery invariants"). Every
/// transition is one conditional UPDATE that also appends its <c>job_events</c> row; methods named <c>…IfRunning</c>
/// are fenced by a <see cref="JobLease"/> and return null when the attempt no longer owns the job.
/// </summary>
public interface IJobStore
{
    Task<JobInsertManyResult> JobInsertManyAsync(JobInsertManyParams parameters, CancellationToken cancellationToken);

    Task<(IReadOnlyList<JobInsertManyResult> Groups, IReadOnlyList<JobHint> Hints)> JobInsertGroupsAsync(
        IReadOnlyList<JobInsertManyParams> groups, CancellationToken cancellationToken);

    Task<Job?> JobGetAsync(Guid workspaceId, Guid jobId, CancellationToken cancellationToken);

    Task<JobPage> JobListAsync(JobListParams parameters, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobEvent>> JobEventListAsync(Guid workspaceId, Guid jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Pending → cancelled at once; processing → cancel requested (the worker stops the handler). The event records
    /// <paramref name="actor"/>.
    /// </summary>
    Task<JobCommandResult> JobCancelAsync(Guid workspaceId, Guid jobId, JobActor? actor, CancellationToken cancellationToken);

    /// <summary>Failed or cancelled → pending, with a fresh attempt budget. The event records <paramref name="actor"/>.</summary>
    Task<JobCommandResult> JobRetryAsync(Guid workspaceId, Guid jobId, JobActor? actor, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> expired idempotency keys (maintenance); returns how many.</summary>
    Task<int> IdempotencyKeyDeleteExpiredAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="keys"/> the workspace used and are not yet expired: a submission with one is a replay.</summary>
    Task<IReadOnlySet<string>> IdempotencyKeyUsedListAsync(Guid workspaceId, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Retention (maintenance): deletes up to <paramref name="limit"/> jobs that ended longer ago than their status's
    /// retention allows, with their events, files and deletion journal; returns how many. A zero retention keeps
    /// that status's jobs forever. A job retried meanwhile (no longer ended) is never deleted.
    /// </summary>
    Task<int> JobDeleteEndedAsync(JobRetention retention, int limit, CancellationToken cancellationToken);

    /// <summary>Forgets that these jobs have a hint on the stream (the XADD failed), so maintenance hints them again.</summary>
    Task JobMarkUnhintedAsync(IReadOnlyList<Guid> jobIds, CancellationToken cancellationToken);

    /// <summary>
    /// The batched conditional claim (docs/design.md, "Delivery invariants"). Returns the jobs this caller won, and
    /// those it could have won but another transaction held at that moment (to be claimed again shortly rather than
    /// dropped).
    /// </summary>
    Task<JobClaimResult> JobClaimManyAsync(JobClaimManyParams parameters, CancellationToken cancellationToken);

    /// <summary>Extends the leases still held; a lease missing from the answer is lost.</summary>
    Task<IReadOnlyList<JobHeartbeatResult>> JobHeartbeatManyAsync(string owner, IReadOnlyList<JobLease> leases, TimeSpan leaseDuration, CancellationToken cancellationToken);

    Task<Job?> JobSetProgressIfRunningAsync(JobSetProgressParams parameters, CancellationToken cancellationToken);

    /// <summary>Group commit: many attempts' progress writes and completions, fenced row by row, in one transaction.</summary>
    Task<JobWriteManyResult> JobWriteManyAsync(JobWriteManyParams parameters, CancellationToken cancellationToken);

    /// <summary>
    /// With <paramref name="retryAfter"/> the job goes back to pending, due then (or ends cancelled when a cancel was
    /// requested meanwhile); without, it fails for good.
    /// </summary>
    Task<Job?> JobFailIfRunningAsync(JobLease lease, string error, TimeSpan? retryAfter, CancellationToken cancellationToken);

    Task<Job?> JobCancelIfRunningAsync(JobLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Back to pending without waiting, for another worker (graceful shutdown); cancelled instead when a cancel was
    /// requested meanwhile.
    /// </summary>
    Task<Job?> JobHandBackIfRunningAsync(JobLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Processing jobs whose lease expired go back to pending, or fail when out of attempts
    /// (docs/design.md, "Leases and fencing").
    /// </summary>
    Task<IReadOnlyList<Job>> JobRescueExpiredAsync(LeaderTerm leader, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the next due pending jobs as hinted, never more per workspace than its free slots, and returns them; the
    /// caller puts the hints on the streams. Fairness across workspaces rests on this bound (NpgsqlJobStore.Hints.cs).
    /// </summary>
    Task<IReadOnlyList<JobHint>> JobHintDueAsync(JobHintDueParams parameters, CancellationToken cancellationToken);

    /// <summary>
    /// The jobs the dependency trigger released or cancelled and nobody has published yet, as they are now, and the
    /// notes read (docs/design.md, "Dependencies").
    /// </summary>
    Task<JobUpdateOutboxPage> JobUpdateOutboxReadAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Forgets <paramref name="notes"/>, once their jobs were published.</summary>
    Task JobUpdateOutboxDeleteAsync(IReadOnlyList<long> notes, CancellationToken cancellationToken);

    /// <summary>Which of these jobs are still pending (for stream entries found in a dead consumer's list).</summary>
    Task<IReadOnlyList<Guid>> JobFilterPendingAsync(IReadOnlyList<Guid> jobIds, CancellationToken cancellationToken);

    Task<JobStats> JobStatsGetAsync(Guid workspaceId, CancellationToken cancellationToken);
}
