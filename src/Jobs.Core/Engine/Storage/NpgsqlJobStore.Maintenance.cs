using Jobs.Core.Engine;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Storage;

public sealed partial class NpgsqlJobStore
{
    // Rescue (docs/design.md, "Leases and fencing"): only rows still processing under the expired lease read here
    // change, so a job that completed meanwhile stays completed. A job whose cancel was requested ends cancelled; one
    // out of attempts ends failed. One going back to pending keeps its slot, and the caller hints it at once
    // (hinted_at = now()), as a hand-back.
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
                hinted_at = CASE WHEN j.cancel_requested_at IS NULL AND j.attempt < j.max_attempts THEN now() END,
                lease_owner = NULL,
                lease_expires_at = NULL,
                version = j.version + 1,
                updated_at = now()
            FROM expired e
            WHERE j.id = e.id
              AND {JobRules.Fence("j", "e.lease_owner", "e.attempt")}
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

    // The dependency trigger's notes (migration 0024): the oldest ones and their jobs as they are now, one row per job,
    // with the ids of the notes read beside each; one row of nulls but those when the notes' jobs are all gone. The
    // ids, not a highest id, say what to delete: an id is taken at insert, so a note of a transaction that commits
    // later may have a lower id than one already read.
    private static readonly string UpdateOutboxReadSql = $"""
        WITH noted AS (
            SELECT id, job_id FROM job_update_outbox ORDER BY id LIMIT @limit
        ),
        read AS (
            SELECT array_agg(id) AS ids FROM noted
        )
        SELECT {JobRows.Select("j")}, r.ids
        FROM read r
        LEFT JOIN jobs j ON j.id IN (SELECT job_id FROM noted)
        """;

    public async Task<JobUpdateOutboxPage> JobUpdateOutboxReadAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UpdateOutboxReadSql);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long[] notes = [];
        var jobs = new List<Job>();
        while (await reader.ReadAsync(cancellationToken))
        {
            notes = reader.IsDBNull(JobRows.Count) ? [] : reader.GetFieldValue<long[]>(JobRows.Count);
            if (!reader.IsDBNull(0))
            {
                jobs.Add(JobRows.Read(reader));
            }
        }

        return new JobUpdateOutboxPage(notes, jobs);
    }

    public async Task JobUpdateOutboxDeleteAsync(IReadOnlyList<long> notes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM job_update_outbox WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", notes.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
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
