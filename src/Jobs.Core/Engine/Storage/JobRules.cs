using Jobs.Core.Engine;
using Npgsql;

namespace Jobs.Core.Engine.Storage;

/// <summary>
/// The rules that several statements must state alike, each written once: the fence that keeps a stale attempt
/// from writing, the slot rule that keeps a workspace within its limit, and the pause rule that keeps a paused queue's
/// or job type's jobs out of the fills. A statement that needs one builds it from here, so that changing a rule
/// changes it for the claim, the fills, the heartbeats and every fenced write together.
/// </summary>
public static class JobRules
{
    /// <summary>
    /// The fence (docs/design.md, "Leases and fencing"): the job row <paramref name="job"/> is still the attempt's —
    /// processing, leased to <paramref name="owner"/>, on attempt <paramref name="attempt"/>. Every write of an
    /// attempt, its heartbeat, the reaper's rescue and a handler's fenced transaction test it.
    /// </summary>
    public static string Fence(string job, string owner, string attempt) => $"""
        {job}.status = 'processing'
          AND {job}.lease_owner = {owner}
          AND {job}.attempt = {attempt}
        """;

    /// <summary>
    /// The slot rule (docs/design.md, "Admission, limits and fairness"): a workspace's slot counts only while its
    /// number is within the workspace's concurrency limit. A lowered limit leaves its upper slots idle: a job may be
    /// hinted into, or claimed from, only a slot within the limit.
    /// </summary>
    public static string SlotWithinLimit(string slot, string limit) => $"{slot} <= {limit}";

    /// <summary>The slot rule's negation for a job's slot, which is NULL while the job holds none.</summary>
    public static string SlotNotWithinLimit(string slot, string limit) => $"({slot} IS NULL OR NOT ({SlotWithinLimit(slot, limit)}))";

    /// <summary>
    /// The pauses of workspace <paramref name="workspace"/> as one row, <c>paused_types</c> and <c>paused_queues</c>
    /// (each <c>text[]</c>, NULL when nothing of that kind is paused), for <see cref="NotPaused"/>. An aggregate, so a
    /// statement reads it once (as a CTE) or once per workspace (as a LATERAL subquery), never once per job row.
    /// </summary>
    public static string PausesOf(string workspace) => $"""
        SELECT array_agg(wp.name) FILTER (WHERE wp.kind = 'type') AS paused_types,
               array_agg(wp.name) FILTER (WHERE wp.kind = 'queue') AS paused_queues
        FROM workspace_pauses wp
        WHERE wp.workspace_id = {workspace}
        """;

    /// <summary>
    /// The pause rule (docs/design.md, "Pausing"): the job row <paramref name="job"/> is of neither a paused job type
    /// nor a paused queue, given the arrays of <see cref="PausesOf"/> (NULL: none). The columns are compared as
    /// <c>type || ''</c>, an expression without statistics, on purpose: the planner cannot see the arrays, and from
    /// the columns' statistics (one queue, or one type, in the whole table) it estimated that no row would pass, and
    /// then read and sorted every ready job of the workspace (0.8 s at 1M) instead of scanning the ready index in order
    /// and stopping at the LIMIT (0.2 ms). Without statistics it assumes nearly every row passes, which is the truth
    /// unless a large backlog is paused.
    /// </summary>
    public static string NotPaused(string job, string pausedTypes, string pausedQueues) => $"""
        ({job}.type || '') <> ALL(coalesce({pausedTypes}, ARRAY[]::text[]))
          AND ({job}.queue || '') <> ALL(coalesce({pausedQueues}, ARRAY[]::text[]))
        """;

    private static readonly string LockHeldJobSql = $"""
        SELECT 1
        FROM jobs j
        WHERE j.id = @job_id
          AND (@workspace_id::uuid IS NULL OR j.workspace_id = @workspace_id)
          AND {Fence("j", "@owner", "@attempt")}
        FOR SHARE
        """;

    /// <summary>
    /// Within <paramref name="transaction"/>, share-locks the job's row while <paramref name="lease"/>'s attempt still
    /// holds it, so that the lease cannot change hands before the commit: the fence for a transaction's own writes.
    /// </summary>
    /// <returns>False when the attempt no longer holds its lease (or the job is not in <paramref name="workspaceId"/>).</returns>
    public static async Task<bool> LockHeldJobAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, JobLease lease, Guid? workspaceId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LockHeldJobSql, connection, transaction);
        command.Parameters.AddWithValue("job_id", lease.JobId);
        command.Parameters.Add(new NpgsqlParameter("workspace_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)workspaceId ?? DBNull.Value });
        command.Parameters.AddWithValue("owner", lease.Owner);
        command.Parameters.AddWithValue("attempt", lease.Attempt);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
