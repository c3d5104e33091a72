using Jobs.Cron;
using Jobs.Core.Engine.Storage;

namespace Jobs.Core.Engine.Schedules;

/// <summary>
/// Recurring schedules (docs/design.md, "Schedules"). Reads and edits are scoped to a workspace; firing is the
/// maintenance leader's, fenced by its term. Next ticks are computed against the database's clock, never a process's.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Stores a new schedule, due at its first tick after now; null when its name is taken in the workspace.</summary>
    Task<Schedule?> ScheduleCreateAsync(Guid workspaceId, Guid userId, ScheduleDefinition definition, bool paused, CancellationToken cancellationToken);

    Task<Schedule?> ScheduleGetAsync(Guid workspaceId, Guid scheduleId, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="cursor"/> is the id to continue after (exclusive).</summary>
    Task<SchedulePage> ScheduleListAsync(Guid workspaceId, int limit, Guid? cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the definition; a running schedule is then due at its new expression's first tick after now. When its
    /// owner was removed from the workspace, <paramref name="editorId"/> becomes its owner.
    /// </summary>
    Task<ScheduleWriteResult> ScheduleUpdateAsync(Guid workspaceId, Guid scheduleId, ScheduleDefinition definition, Guid editorId, CancellationToken cancellationToken);

    /// <summary>
    /// Pauses (no tick fires; the next one is forgotten) or resumes (due at the first tick after now: ticks that
    /// passed while paused are not missed ticks; an owner removed from the workspace is replaced by
    /// <paramref name="editorId"/>). Null when the schedule does not exist in the workspace.
    /// </summary>
    Task<Schedule?> ScheduleSetPausedAsync(Guid workspaceId, Guid scheduleId, bool paused, Guid editorId, CancellationToken cancellationToken);

    /// <summary>Deletes the schedule; the jobs it made stay, without a schedule. False when it does not exist.</summary>
    Task<bool> ScheduleDeleteAsync(Guid workspaceId, Guid scheduleId, CancellationToken cancellationToken);

    /// <summary>Running schedules whose next tick has come by the database's clock, the most overdue first.</summary>
    Task<DueSchedules> ScheduleListDueAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// One due schedule's tick, in one transaction: moves <c>next_run_at</c> on from the value the leader read, inserts
    /// the tick's job (unless none fires) and hints the workspace's next jobs. Changes nothing and returns null when the
    /// leader no longer holds its term, or the schedule changed since it was read (fired, edited, paused, deleted).
    /// </summary>
    Task<ScheduleFireResult?> ScheduleFireAsync(ScheduleFireParams parameters, CancellationToken cancellationToken);
}

public sealed record SchedulePage(IReadOnlyList<Schedule> Items, Guid? NextCursor);

/// <summary>An edit's outcome: the schedule, or why not (it does not exist; its new name is taken).</summary>
public sealed record ScheduleWriteResult(Schedule? Schedule, bool NameTaken);

/// <summary>The due schedules and the database's clock when they were read.</summary>
public sealed record DueSchedules(IReadOnlyList<Schedule> Items, DateTimeOffset Now);

/// <summary>
/// A tick as the leader decided it: <see cref="ExpectedNextRunAt"/> is the schedule's next tick as read;
/// <see cref="Job"/> the job to insert for the tick at <see cref="ScheduleTick.FireAt"/> (null: missed, none).
/// </summary>
public sealed record ScheduleFireParams(
    LeaderTerm Leader,
    Schedule Schedule,
    DateTimeOffset ExpectedNextRunAt,
    ScheduleTick Tick,
    JobInsertParams? Job,
    int HintLimit);

/// <summary>A fired tick: the job it made (null when the tick was missed) and the hints to put on the streams.</summary>
public sealed record ScheduleFireResult(Job? Job, IReadOnlyList<JobHint> Hints);
