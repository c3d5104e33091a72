using System.Text.Json;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Dependencies;

namespace Jobs.Core.Engine.Storage;

/// <summary>One job to insert. <see cref="RunAt"/> null means now.</summary>
public sealed record JobInsertParams(
    string Type,
    string Queue,
    short Priority,
    JsonElement Payload,
    DateTimeOffset? RunAt,
    int MaxAttempts,
    int TimeoutSeconds,
    string? IdempotencyKey)
{
    /// <summary>The schedule that makes the job (a tick, or a run now), shown as the job's <c>scheduleId</c>.</summary>
    public Guid? ScheduleId { get; init; }

    /// <summary>
    /// The schedule's tick this job is for: with <see cref="ScheduleId"/> the tick's identity, unique among jobs
    /// (docs/design.md, "Schedules"). Null for a run now.
    /// </summary>
    public DateTimeOffset? ScheduleTickAt { get; init; }

    /// <summary>
    /// Jobs of the same workspace this one waits for (docs/design.md, "Dependencies"): it stays pending, un-hinted,
    /// until each has finished. Ids that do not exist in the workspace are ignored; the API refuses them first.
    /// </summary>
    public IReadOnlyList<Guid>? DependsOn { get; init; }

    /// <summary>
    /// Earlier items of the same insert this one waits for, by index (a batch's client references). Such an item must
    /// carry no idempotency key: a replayed one inserts no row to wait for.
    /// </summary>
    public IReadOnlyList<int>? DependsOnItems { get; init; }

    /// <summary>What a failed or cancelled dependency does to this job: <c>cancel</c> it (the default) or <c>run</c> it anyway.</summary>
    public string OnDependencyFailure { get; init; } = JobDependencyPolicy.Cancel;
}

/// <summary>
/// Jobs to insert for one workspace and user, in one transaction. <see cref="ApiKeyId"/> is the key or UI session the
/// request came with (recorded on the <c>created</c> events); an idempotency key binds its job for
/// <see cref="IdempotencyKeyLifetime"/>, after which the key makes a new job.
/// </summary>
public sealed record JobInsertManyParams(Guid WorkspaceId, Guid UserId, IReadOnlyList<JobInsertParams> Jobs)
{
    public Guid? ApiKeyId { get; init; }

    public TimeSpan IdempotencyKeyLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// When positive and a job is due now, the same transaction hints the workspace's next jobs within its bound, at
    /// most this many (NpgsqlJobStore.Hints.cs); the caller puts them on the streams.
    /// </summary>
    public int HintLimit { get; init; }
}

/// <summary>An insert's results and the hints its transaction took.</summary>
public sealed record JobInsertManyResult(IReadOnlyList<JobInsertResult> Results, IReadOnlyList<JobHint> Hints);

/// <summary>
/// What an insert did for one input: <see cref="Created"/> is false when an earlier job with the same live
/// idempotency key was returned instead, and <see cref="SameRequest"/> then says whether that job was asked for with
/// the same request (type, payload, priority, run time, attempts, timeout). When any input of a call is not the same
/// request, the whole call is rolled back: nothing is stored and no result has <see cref="Created"/> set.
/// </summary>
public sealed record JobInsertResult(Job Job, bool Created, bool SameRequest);

/// <summary>
/// A page of the job list. <see cref="Cursor"/> is the id to continue after (exclusive), newest first;
/// <see cref="ScheduleId"/> keeps the jobs that schedule made.
/// </summary>
public sealed record JobListParams(Guid WorkspaceId, string? Status, string? Type, int Limit, Guid? Cursor, Guid? ScheduleId = null);

public sealed record JobPage(IReadOnlyList<Job> Items, Guid? NextCursor);

public sealed record JobClaimManyParams(IReadOnlyList<Guid> Ids, string Owner, TimeSpan LeaseDuration);

/// <summary>
/// A claim's answer: the jobs won, and the ids still claimable that another transaction held (<see cref="Busy"/>).
/// Every other id named is not this caller's to run (already claimed, ended, cancelled, without a slot).
/// </summary>
public sealed record JobClaimResult(IReadOnlyList<Job> Claimed, IReadOnlyList<Guid> Busy);

/// <summary>A heartbeat's answer for one lease it still holds.</summary>
public sealed record JobHeartbeatResult(Guid JobId, bool CancelRequested);

/// <summary>
/// A progress write of one attempt. <see cref="StageChanged"/> appends a <c>stage</c> event to the timeline.
/// </summary>
public sealed record JobSetProgressParams(
    JobLease Lease,
    short Progress,
    string? Stage,
    long? ProcessedItems,
    long? TotalItems,
    JsonElement Metrics,
    string? Message,
    bool StageChanged);

/// <summary>
/// The outcome of a user's cancel or retry. <see cref="Job"/> is null when the job does not exist in the workspace;
/// <see cref="Applied"/> is false when it exists but the transition is not allowed from its status.
/// </summary>
public sealed record JobCommandResult(Job? Job, bool Applied);

/// <summary>
/// The maintenance leader's fencing token: a write made with it changes nothing once the leader lost its term.
/// </summary>
public sealed record LeaderTerm(string Name, string LeaderId, long Term);

/// <summary>
/// Which pending jobs get a wake-up hint: the next due ones of a workspace without a hint, as many as keep its
/// processing and hinted jobs within its concurrency limit, and (when <see cref="StaleAfter"/> is given) hinted
/// ones whose hint is older than that. <see cref="WorkspaceId"/> null means every workspace. At most
/// <see cref="Limit"/> hints in all.
/// </summary>
public sealed record JobHintDueParams(Guid? WorkspaceId, TimeSpan? StaleAfter, int Limit, LeaderTerm? Leader);

/// <summary>A hint to put on a queue's stream.</summary>
public sealed record JobHint(Guid JobId, Guid WorkspaceId, string Queue);

/// <summary>
/// A successful end of an attempt, with its final progress. A final <see cref="JobSetProgressParams.StageChanged"/>
/// writes a <c>stage</c> event (with the final message) before the <c>completed</c> one: a stage write that the
/// completion took over. <see cref="WorkspaceId"/>, when given, is the workspace whose freed slot the same transaction
/// hints (see <see cref="JobWriteManyParams.HintLimit"/>).
/// </summary>
public sealed record JobCompletion(JobSetProgressParams Final, JsonElement Result, Guid? WorkspaceId);

/// <summary>
/// Progress writes and completions of many attempts, each fenced on its own lease, written as one transaction (group
/// commit). With a positive <see cref="HintLimit"/> the same transaction hints, within their bounds, the next jobs of
/// the completions' workspaces, at most that many for each.
/// </summary>
public sealed record JobWriteManyParams(IReadOnlyList<JobSetProgressParams> Progress, IReadOnlyList<JobCompletion> Completions, int HintLimit);

/// <summary>The attempts still held (the others were fenced out) and the hints to put on the streams.</summary>
public sealed record JobWriteManyResult(IReadOnlyList<Job> Progressed, IReadOnlyList<Job> Completed, IReadOnlyList<JobHint> Hints);

/// <summary>Jobs the dependency trigger moved, to publish, and the outbox notes they were read from (empty: none).</summary>
public sealed record JobUpdateOutboxPage(IReadOnlyList<long> Notes, IReadOnlyList<Job> Jobs);
