using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Storage;

/// <summary>
/// Fairness across workspaces by admission-bounded hinting (docs/design.md, "Admission, limits and fairness").
/// <para>
/// Workers read the stream first in, first out, so whatever sits in front of a job's hint is what delays it. A
/// workspace therefore only ever has hints for the slots it could use: at every moment
/// <c>processing + pending-with-a-hint &lt;= max_concurrent_jobs</c>. A hint is a slot: hinting a job takes one of the
/// workspace's free <c>job_slots</c> rows and names the job in it, and the job gives it back when it ends or loses its
/// hint (migration 0018's trigger). Submit inserts the jobs and fills the workspace's free slots with its next jobs,
/// highest priority first, then earliest due, then oldest; a completion batch fills the slots it freed in the same
/// transaction; maintenance fills every workspace's each tick (delays come due, retries, lost hints).
/// </para>
/// <para>
/// The stream then holds at most the sum of the workspaces' limits, and each of those entries is a job that can
/// start at once. A workspace with 10,000 queued jobs has at most its limit of hints on the stream, all of them
/// claimable, so another workspace's job waits behind at most those: when the pool of worker slots is
/// saturated, at most one slot turnover. Within a workspace the next job is always the best one by priority, because
/// it is chosen when a slot frees up, not when it was submitted.
/// </para>
/// <para>
/// Nothing here waits for another transaction: free slots and candidate jobs are locked <c>FOR UPDATE SKIP LOCKED</c>,
/// so two fillers of one workspace take different slots and different jobs, and a slot being freed by a transaction
/// not yet committed is simply not there yet. The price is rare: a submit that meets a completion still in flight
/// (each passing over what the other holds) may leave its job for maintenance's next tick (one second by default).
/// </para>
/// </summary>
public sealed partial class NpgsqlJobStore
{
    private const int PromoteBatch = 10_000;

    // One workspace per statement (a batch carries one per workspace): each lookup reads one index range. First the
    // free slots are counted without a lock, then at most that many of the best ready jobs are locked, then as many
    // free slots as jobs were found: a submit with one new job locks one slot, leaving the others to concurrent
    // submits. The candidates are picked inside ARRAY(…) so that their LIMIT is one value computed first: as
    // "LIMIT b.free" in a join the planner took a 10 % guess and hash-joined every un-hinted row of the table once it
    // had statistics. Scheduled (future) jobs are not in the ready index at all. A job locked here that finds no slot
    // (another filler took it meanwhile) stays ready for the next fill. Jobs of a paused queue or type are marked paused
    // and so outside the ready index (migration 0026); one that came back to pending unmarked during the pause (a
    // retry, a rescue) is passed over by the pause rule (JobRules.NotPaused). Either way it holds no slot until a
    // resume's fill.
    internal static readonly string FillSlotsSql = $"""
        WITH pauses AS (
            {JobRules.PausesOf("@workspace_id")}
        ),
        room AS (
            SELECT least(count(*), @limit) AS n
            FROM job_slots s
            WHERE s.workspace_id = @workspace_id
              AND s.job_id IS NULL
              AND {JobRules.SlotWithinLimit("s.slot", "(SELECT w.max_concurrent_jobs FROM workspaces w WHERE w.id = @workspace_id)")}
              AND {LeaderHoldsTerm}
        ),
        next AS (
            SELECT t.id, t.n
            FROM unnest(ARRAY(
                SELECT p.id
                FROM jobs p
                WHERE p.workspace_id = @workspace_id
                  AND p.status = 'pending'
                  AND p.hinted_at IS NULL
                  AND NOT p.scheduled
                  AND NOT p.paused
                  AND p.run_at <= now()
                  AND p.cancel_requested_at IS NULL
                  AND {JobRules.NotPaused("p", "(SELECT paused_types FROM pauses)", "(SELECT paused_queues FROM pauses)")}
                ORDER BY p.priority DESC, p.run_at, p.id
                LIMIT (SELECT r.n FROM room r)
                FOR UPDATE OF p SKIP LOCKED
            )) WITH ORDINALITY AS t(id, n)
        ),
        free AS (
            SELECT s.slot
            FROM job_slots s
            WHERE s.workspace_id = @workspace_id
              AND s.job_id IS NULL
              AND {JobRules.SlotWithinLimit("s.slot", "(SELECT w.max_concurrent_jobs FROM workspaces w WHERE w.id = @workspace_id)")}
            ORDER BY s.slot
            LIMIT (SELECT count(*) FROM next)
            FOR UPDATE OF s SKIP LOCKED
        ),
        pairs AS (
            SELECT n.id, f.slot
            FROM next n
            JOIN (SELECT slot, row_number() OVER (ORDER BY slot) AS n FROM free) f ON f.n = n.n
        ),
        taken AS (
            UPDATE job_slots s
            SET job_id = p.id
            FROM pairs p
            WHERE s.workspace_id = @workspace_id
              AND s.slot = p.slot
        )
        UPDATE jobs j
        SET hinted_at = now(),
            slot = p.slot
        FROM pairs p
        WHERE j.id = p.id
        RETURNING j.id, j.workspace_id, j.queue
        """;

    // Workspaces that could take a hint now: a free slot within the limit and a due job without one that is not paused
    // (each probed LIMIT 1 in its index range, never by reading every pending job). Not locked: the fill decides. A
    // workspace whose only ready jobs are paused is not listed, so maintenance does not fill it in vain every tick.
    private static readonly string WorkspacesToHintSql = $"""
        SELECT w.id
        FROM workspaces w
        CROSS JOIN LATERAL ({JobRules.PausesOf("w.id")}) pz
        WHERE EXISTS (
                SELECT 1
                FROM job_slots s
                WHERE s.workspace_id = w.id
                  AND s.job_id IS NULL
                  AND {JobRules.SlotWithinLimit("s.slot", "w.max_concurrent_jobs")})
          AND EXISTS (
                SELECT 1
                FROM jobs p
                WHERE p.workspace_id = w.id
                  AND p.status = 'pending'
                  AND p.hinted_at IS NULL
                  AND NOT p.scheduled
                  AND NOT p.paused
                  AND p.run_at <= now()
                  AND p.cancel_requested_at IS NULL
                  AND {JobRules.NotPaused("p", "pz.paused_types", "pz.paused_queues")})
        ORDER BY w.id
        LIMIT @limit
        """;

    // Scheduled jobs whose time has come join the ready ones (the fill that follows may hint them at once).
    private static readonly string PromoteDueSql = $"""
        UPDATE jobs j
        SET scheduled = false
        WHERE j.id = ANY(ARRAY(
                SELECT d.id
                FROM jobs d
                WHERE d.status = 'pending'
                  AND d.scheduled
                  AND d.run_at <= now()
                ORDER BY d.run_at
                LIMIT @limit))
          AND j.scheduled
          AND {LeaderHoldsTerm}
        """;

    // Hints lost with a flushed Redis or a dead consumer: the job keeps its place in the bound (it is counted as
    // hinted), so hinting it again adds nothing to the workspace's share of the stream.
    private static readonly string RehintStaleSql = $"""
        WITH stale AS (
            SELECT id, version
            FROM jobs
            WHERE status = 'pending'
              AND hinted_at IS NOT NULL
              AND hinted_at < now() - @stale_after
              AND run_at <= now()
              AND cancel_requested_at IS NULL
            ORDER BY hinted_at
            LIMIT @limit
        )
        UPDATE jobs j
        SET hinted_at = now()
        FROM stale s
        WHERE j.id = s.id
          AND j.version = s.version
          AND j.hinted_at IS NOT NULL
          AND {LeaderHoldsTerm}
        RETURNING j.id, j.workspace_id, j.queue
        """;

    public async Task<IReadOnlyList<JobHint>> JobHintDueAsync(JobHintDueParams parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (parameters.WorkspaceId is null)
        {
            await using var promote = new NpgsqlCommand(PromoteDueSql, connection);
            promote.Parameters.AddWithValue("limit", PromoteBatch);
            AddLeader(promote, parameters.Leader);
            await promote.ExecuteNonQueryAsync(cancellationToken);
        }

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

    internal static async Task<IReadOnlyList<JobHint>> HintNextAsync(
        NpgsqlConnection connection, Guid workspaceId, int limit, LeaderTerm? leader, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddHintNext(batch, [workspaceId], limit, leader);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadHintsAsync(reader, 1, cancellationToken);
    }

    /// <summary>Adds one fill command per workspace: each hints that workspace's next jobs into its free slots.</summary>
    private static int AddHintNext(NpgsqlBatch batch, IEnumerable<Guid> workspaceIds, int limit, LeaderTerm? leader)
    {
        var added = 0;
        foreach (var workspaceId in workspaceIds.Distinct().Order())
        {
            var fill = new NpgsqlBatchCommand(FillSlotsSql);
            fill.Parameters.AddWithValue("workspace_id", workspaceId);
            fill.Parameters.AddWithValue("limit", limit);
            AddLeader(fill.Parameters, leader);
            batch.BatchCommands.Add(fill);
            added++;
        }

        return added;
    }

    /// <summary>Reads the hints of <paramref name="commands"/> fill commands, the reader being on the first one's result.</summary>
    private static async Task<IReadOnlyList<JobHint>> ReadHintsAsync(NpgsqlDataReader reader, int commands, CancellationToken cancellationToken)
    {
        var hints = new List<JobHint>();
        for (var i = 0; i < commands; i++)
        {
            if (i > 0)
            {
                await reader.NextResultAsync(cancellationToken);
            }

            hints.AddRange(await ReadHintsAsync(reader, cancellationToken));
        }

        return hints;
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

    private const string MarkUnhintedSql = """
        UPDATE jobs
        SET hinted_at = NULL
        WHERE id = ANY(@ids)
          AND status = 'pending'
        """;

    public async Task JobMarkUnhintedAsync(IReadOnlyList<Guid> jobIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(MarkUnhintedSql);
        command.Parameters.AddWithValue("ids", jobIds.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
