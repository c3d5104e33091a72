using Jobs.Core.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Storage;

public sealed partial class NpgsqlJobStore
{
    // DESIGN §5.5: only rows still processing under the expired lease read here change, so a job that completed
    // meanwhile stays completed. A job whose cancel was requested ends cancelled; one out of attempts ends failed.
    private static readonly string RescueExpiredSql = $"""
        WITH expired AS (
            SELECT id, lease_owner, attempt
            FROM jobs
            WHERE status = 'processing'
              AND lease_expires_at < now()
            ORDER BY lease_expires_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
        ),
        changed AS (
            UPDATE jobs j
            SET status = CASE
                    WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
                    WHEN j.attempt >= j.max_attempts THEN 'failed'
                    ELSE 'pending'
                END,
                completed_at = CASE
                    WHEN j.cancel_requested_at IS NOT NULL OR j.attempt >= j.max_attempts THEN now()
                END,
                error = 'Lease expired: worker ' || j.lease_owner || ' stopped heartbeating during attempt ' || j.attempt,
                run_at = now(),
                enqueued_at = NULL,
                lease_owner = NULL,
                lease_expires_at = NULL,
                version = j.version + 1,
                updated_at = now()
            FROM expired e
            WHERE j.id = e.id
              AND j.status = 'processing'
              AND j.lease_owner = e.lease_owner
              AND j.attempt = e.attempt
              AND j.lease_expires_at < now()
              AND {LeaderHoldsTerm}
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("'lease_expired'", "error")}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    public async Task<IReadOnlyList<Job>> JobRescueExpiredAsync(LeaderTerm leader, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RescueExpiredSql);
        command.Parameters.AddWithValue("limit", limit);
        AddLeader(command, leader);
        return await JobRows.ReadAllAsync(command, cancellationToken);
    }

    // Per workspace, at most as many hints as it has free slots: more would only be claimed, deferred and
    // un-hinted again. Candidates come from two bounded index ranges (migration 0003): jobs without a live hint,
    // and, when stale_after is given, jobs whose hint is older than that. Ordered by priority, then due time.
    private static readonly string EnqueueDueSql = $"""
        WITH due AS (
            SELECT d.id
            FROM workspaces w
            CROSS JOIN LATERAL (
                SELECT greatest(w.max_concurrent_jobs - (
                    SELECT count(*)
                    FROM jobs r
                    WHERE r.workspace_id = w.id
                      AND r.status = 'processing'), 0) AS free_slots
            ) f
            CROSS JOIN LATERAL (
                SELECT c.id
                FROM (
                    (SELECT p.id, p.priority, p.run_at
                     FROM jobs p
                     WHERE p.workspace_id = w.id
                       AND p.status = 'pending'
                       AND p.enqueued_at IS NULL
                       AND p.run_at <= now()
                       AND p.cancel_requested_at IS NULL
                     ORDER BY p.priority DESC, p.run_at, p.id
                     LIMIT f.free_slots)
                    UNION ALL
                    (SELECT p.id, p.priority, p.run_at
                     FROM jobs p
                     WHERE @stale_after::interval IS NOT NULL
                       AND p.status = 'pending'
                       AND p.enqueued_at IS NOT NULL
                       AND p.enqueued_at < now() - @stale_after
                       AND p.workspace_id = w.id
                       AND p.run_at <= now()
                       AND p.cancel_requested_at IS NULL
                     ORDER BY p.enqueued_at
                     LIMIT f.free_slots)
                ) c
                ORDER BY c.priority DESC, c.run_at, c.id
                LIMIT f.free_slots
            ) d
            WHERE (@workspace_id::uuid IS NULL OR w.id = @workspace_id)
              AND f.free_slots > 0
            LIMIT @limit
        )
        UPDATE jobs j
        SET enqueued_at = now()
        FROM due
        WHERE j.id = due.id
          AND j.status = 'pending'
          AND {LeaderHoldsTerm}
        RETURNING j.id, j.workspace_id, j.queue
        """;

    public async Task<IReadOnlyList<JobHint>> JobEnqueueDueAsync(JobEnqueueDueParams parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(EnqueueDueSql);
        command.Parameters.Add(new NpgsqlParameter("workspace_id", NpgsqlDbType.Uuid) { Value = (object?)parameters.WorkspaceId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("stale_after", NpgsqlDbType.Interval) { Value = (object?)parameters.StaleAfter ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", parameters.Limit);
        AddLeader(command, parameters.Leader);
        var hints = new List<JobHint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hints.Add(new JobHint(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2)));
        }

        return hints;
    }

    private const string FilterPendingSql = """
        SELECT id
        FROM jobs
        WHERE id = ANY(@ids)
          AND status = 'pending'
        """;

    public async Task<IReadOnlyList<Guid>> JobFilterPendingAsync(IReadOnlyList<Guid> jobIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FilterPendingSql);
        command.Parameters.AddWithValue("ids", jobIds.ToArray());
        var pending = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(reader.GetGuid(0));
        }

        return pending;
    }
}
