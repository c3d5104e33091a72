using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Storage;

/// <summary>
/// Fairness across workspaces by admission-bounded hinting (DESIGN §5, §8).
/// <para>
/// Workers read the stream first in, first out, so whatever sits in front of a job's hint is what delays it. A
/// workspace therefore only ever has hints for the slots it could use: at every moment
/// <c>processing + pending-with-a-hint &lt;= max_concurrent_jobs</c>. Submit inserts every job but hints none
/// itself; it asks for the workspace's next jobs within that bound, and the rest stay pending without a hint. When
/// a job of the workspace ends (completed, failed, cancelled, handed back) its worker hints the next ones, highest
/// priority first, then earliest due, then oldest; maintenance does the same for every workspace each tick (delays
/// come due, retries, lost hints), within the same bound, so it never floods the stream either.
/// </para>
/// <para>
/// The stream then holds at most the sum of the workspaces' limits, and each of those entries is a job that can
/// start at once. A workspace with 10,000 queued jobs has at most its limit of hints on the stream, all of them
/// claimable, so another workspace's job waits behind at most those: when the pool of worker slots is
/// saturated, at most one slot turnover. Within a workspace the next job is always the best one by priority, because
/// it is chosen when a slot frees up, not when it was submitted.
/// </para>
/// <para>
/// The bound is checked under the same per-workspace advisory lock as the claim, so concurrent submits and
/// completions cannot all see the same free slot. The limit itself is still enforced by the claim: a hint beyond it
/// (a duplicate, an entry from before the bound existed) is dropped and its job stays pending.
/// </para>
/// </summary>
public sealed partial class NpgsqlJobStore
{
    // Both counts use partial indexes of migration 0009, the next-jobs range the unhinted one of 0003. The update
    // finds the chosen rows by key and checks that they are unchanged by their version (every transition bumps it)
    // rather than by status: a status test there let the planner scan the whole un-hinted backlog through its partial
    // index instead (see LockCandidateWorkspacesSql).
    private static readonly string HintNextSql = $"""
        WITH budget AS (
            SELECT w.id AS workspace_id,
                   greatest(least(w.max_concurrent_jobs
                       - (SELECT count(*)
                          FROM jobs r
                          WHERE r.workspace_id = w.id
                            AND r.status = 'processing')
                       - (SELECT count(*)
                          FROM jobs h
                          WHERE h.workspace_id = w.id
                            AND h.status = 'pending'
                            AND h.enqueued_at IS NOT NULL), @limit), 0) AS free
            FROM workspaces w
            WHERE w.id = ANY(@workspace_ids)
        ),
        next AS (
            SELECT n.id, n.version
            FROM budget b
            CROSS JOIN LATERAL (
                SELECT p.id, p.version
                FROM jobs p
                WHERE p.workspace_id = b.workspace_id
                  AND p.status = 'pending'
                  AND p.enqueued_at IS NULL
                  AND p.run_at <= now()
                  AND p.cancel_requested_at IS NULL
                ORDER BY p.priority DESC, p.run_at, p.id
                LIMIT b.free
            ) n
        )
        UPDATE jobs j
        SET enqueued_at = now()
        FROM next n
        WHERE j.id = n.id
          AND j.version = n.version
          AND j.enqueued_at IS NULL
          AND {LeaderHoldsTerm}
        RETURNING j.id, j.workspace_id, j.queue
        """;

    // Workspaces that could take a hint now: a free slot not already promised to a hint, and a due job without one
    // (probed per workspace, LIMIT 1, never by reading every pending job).
    private const string WorkspacesToHintSql = """
        SELECT w.id
        FROM workspaces w
        CROSS JOIN LATERAL (
            SELECT 1
            FROM jobs p
            WHERE p.workspace_id = w.id
              AND p.status = 'pending'
              AND p.enqueued_at IS NULL
              AND p.run_at <= now()
              AND p.cancel_requested_at IS NULL
            LIMIT 1
        ) due
        WHERE w.max_concurrent_jobs > (
                SELECT count(*)
                FROM jobs r
                WHERE r.workspace_id = w.id
                  AND r.status = 'processing') + (
                SELECT count(*)
                FROM jobs h
                WHERE h.workspace_id = w.id
                  AND h.status = 'pending'
                  AND h.enqueued_at IS NOT NULL)
        ORDER BY w.id
        LIMIT @limit
        """;

    // Hints lost with a flushed Redis or a dead consumer: the job keeps its place in the bound (it is counted as
    // hinted), so hinting it again adds nothing to the workspace's share of the stream.
    private static readonly string RehintStaleSql = $"""
        WITH stale AS (
            SELECT id, version
            FROM jobs
            WHERE status = 'pending'
              AND enqueued_at IS NOT NULL
              AND enqueued_at < now() - @stale_after
              AND run_at <= now()
              AND cancel_requested_at IS NULL
            ORDER BY enqueued_at
            LIMIT @limit
        )
        UPDATE jobs j
        SET enqueued_at = now()
        FROM stale s
        WHERE j.id = s.id
          AND j.version = s.version
          AND j.enqueued_at IS NOT NULL
          AND {LeaderHoldsTerm}
        RETURNING j.id, j.workspace_id, j.queue
        """;

    public async Task<IReadOnlyList<JobHint>> JobEnqueueDueAsync(JobEnqueueDueParams parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var hints = new List<JobHint>();
        if (parameters.StaleAfter is { } staleAfter)
        {
            await using var command = new NpgsqlCommand(RehintStaleSql, connection);
            command.Parameters.Add(new NpgsqlParameter("stale_after", NpgsqlDbType.Interval) { Value = staleAfter });
            command.Parameters.AddWithValue("limit", parameters.Limit);
            AddLeader(command, parameters.Leader);
            hints.AddRange(await ReadHintsAsync(command, cancellationToken));
        }

        List<Guid> workspaces = parameters.WorkspaceId is { } only ? [only] : await WorkspacesToHintAsync(connection, parameters.Limit, cancellationToken);
        foreach (var workspaceId in workspaces)
        {
            if (hints.Count >= parameters.Limit)
            {
                break;
            }

            hints.AddRange(await HintNextAsync(connection, workspaceId, parameters.Limit - hints.Count, parameters.Leader, cancellationToken));
        }

        return hints;
    }

    // Lock and hint travel as one batch (one round trip; one implicit transaction unless the caller's is given); the
    // hint statement's snapshot is taken after the lock, so it sees what the previous holder committed.
    private static async Task<IReadOnlyList<JobHint>> HintNextAsync(
        NpgsqlConnection connection, Guid workspaceId, int limit, LeaderTerm? leader, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddHintNext(batch, [workspaceId], limit, leader);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadHintsAfterLockAsync(reader, cancellationToken);
    }

    /// <summary>Reads the hints of <see cref="AddHintNext"/>'s commands, the reader being on the lock command's result.</summary>
    private static async Task<IReadOnlyList<JobHint>> ReadHintsAfterLockAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.NextResultAsync(cancellationToken);
        return await ReadHintsAsync(reader, cancellationToken);
    }

    /// <summary>Adds the two commands (lock, hint) that hint the next jobs of <paramref name="workspaceIds"/>.</summary>
    private static void AddHintNext(NpgsqlBatch batch, Guid[] workspaceIds, int limit, LeaderTerm? leader)
    {
        var lockCommand = new NpgsqlBatchCommand(LockWorkspacesSql);
        lockCommand.Parameters.AddWithValue("workspace_ids", workspaceIds);
        batch.BatchCommands.Add(lockCommand);
        var hint = new NpgsqlBatchCommand(HintNextSql);
        hint.Parameters.AddWithValue("workspace_ids", workspaceIds);
        hint.Parameters.AddWithValue("limit", limit);
        AddLeader(hint.Parameters, leader);
        batch.BatchCommands.Add(hint);
    }

    private static async Task<List<Guid>> WorkspacesToHintAsync(NpgsqlConnection connection, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(WorkspacesToHintSql, connection);
        command.Parameters.AddWithValue("limit", limit);
        var workspaces = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            workspaces.Add(reader.GetGuid(0));
        }

        return workspaces;
    }

    private static async Task<IReadOnlyList<JobHint>> ReadHintsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadHintsAsync(reader, cancellationToken);
    }

    private static async Task<IReadOnlyList<JobHint>> ReadHintsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var hints = new List<JobHint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hints.Add(new JobHint(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2)));
        }

        return hints;
    }
}
