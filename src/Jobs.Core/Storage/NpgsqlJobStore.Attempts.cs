using System.Text.Json;
using Jobs.Core.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Storage;

public sealed partial class NpgsqlJobStore
{
    // Serialises claims per workspace so that two workers cannot both see "4 processing" and take the fifth slot
    // twice. Locks are taken in workspace order, so concurrent claimers cannot deadlock.
    private const string LockWorkspacesSql = """
        SELECT pg_advisory_xact_lock(hashtextextended(w.id::text, 7))
        FROM (
            SELECT DISTINCT id
            FROM unnest(@workspace_ids) AS t(id)
            ORDER BY id
        ) w
        """;

    // The same locks for the workspaces of a claim's candidates, in one statement, in workspace order.
    //
    // Rows named by id are looked up by primary key with no test of their state beside it (OFFSET 0 keeps the outer
    // test out of the scan): "id = ANY(…) AND status = 'pending'" lets the planner pick a partial index of pending
    // jobs and read all of them, and on a queue table that grew faster than its statistics it did, taking 10 ms or
    // more per statement under the workspace lock (the speed work's profile). The same holds in ClaimSql and the hints.
    private const string LockCandidateWorkspacesSql = """
        SELECT pg_advisory_xact_lock(hashtextextended(w.workspace_id::text, 7))
        FROM (
            SELECT DISTINCT c.workspace_id
            FROM (
                SELECT workspace_id, status
                FROM jobs
                WHERE id = ANY(@ids)
                OFFSET 0
            ) c
            WHERE c.status = 'pending'
            ORDER BY c.workspace_id
        ) w
        """;

    // DESIGN §5.3. Hints are bounded by the free slots (NpgsqlJobStore.Hints.cs), so a candidate beyond them is rare
    // (a duplicate or stale hint); it stays pending but loses its hint (enqueued_at NULL) and is hinted again, in
    // priority order, when a slot frees (worker) or by maintenance if that worker dies.
    private static readonly string ClaimSql = $"""
        WITH locked AS (
            SELECT j.id, j.workspace_id, j.priority, j.status, j.run_at, j.cancel_requested_at
            FROM jobs j
            WHERE j.id = ANY(@ids)
            FOR UPDATE SKIP LOCKED
        ),
        candidates AS (
            SELECT l.id, l.workspace_id, l.priority
            FROM locked l
            WHERE l.status = 'pending'
              AND l.run_at <= now()
              AND l.cancel_requested_at IS NULL
        ),
        slots AS (
            SELECT w.id AS workspace_id,
                   w.max_concurrent_jobs - (
                       SELECT count(*)
                       FROM jobs p
                       WHERE p.workspace_id = w.id
                         AND p.status = 'processing') AS free_slots
            FROM workspaces w
            WHERE w.id IN (SELECT c.workspace_id FROM candidates c)
        ),
        ranked AS (
            SELECT c.id,
                   row_number() OVER (PARTITION BY c.workspace_id ORDER BY c.priority DESC, c.id) AS rank,
                   s.free_slots
            FROM candidates c
            JOIN slots s ON s.workspace_id = c.workspace_id
        ),
        deferred AS (
            UPDATE jobs j
            SET enqueued_at = NULL
            FROM ranked r
            WHERE j.id = r.id
              AND r.rank > r.free_slots
        ),
        changed AS (
            UPDATE jobs j
            SET status = 'processing',
                attempt = j.attempt + 1,
                lease_owner = @owner,
                lease_expires_at = now() + @lease,
                started_at = coalesce(j.started_at, now()),
                error = NULL,
                version = j.version + 1,
                updated_at = now()
            FROM ranked r
            WHERE j.id = r.id
              AND r.rank <= r.free_slots
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("'started'")}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    /// <remarks>
    /// Locks and claim travel as one batch: one round trip and one implicit transaction, so the locks are held only
    /// while the server runs the two statements, never while a paused claimer (a long GC, SIGSTOP) sits between them.
    /// The claim statement's snapshot is taken after the locks, so it sees what the previous holder committed.
    /// </remarks>
    public async Task<IReadOnlyList<Job>> JobClaimManyAsync(JobClaimManyParams parameters, CancellationToken cancellationToken)
    {
        var ids = parameters.Ids.Distinct().ToArray();
        await using var batch = dataSource.CreateBatch();
        var locks = new NpgsqlBatchCommand(LockCandidateWorkspacesSql);
        locks.Parameters.AddWithValue("ids", ids);
        batch.BatchCommands.Add(locks);
        var claim = new NpgsqlBatchCommand(ClaimSql);
        claim.Parameters.AddWithValue("ids", ids);
        claim.Parameters.AddWithValue("owner", parameters.Owner);
        claim.Parameters.AddWithValue("lease", parameters.LeaseDuration);
        batch.BatchCommands.Add(claim);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await JobRows.ReadAllAsync(reader, cancellationToken);
    }

    private const string HeartbeatSql = """
        UPDATE jobs j
        SET lease_expires_at = now() + @lease
        FROM unnest(@ids, @attempts) AS l(id, attempt)
        WHERE j.id = l.id
          AND j.attempt = l.attempt
          AND j.status = 'processing'
          AND j.lease_owner = @owner
        RETURNING j.id, j.cancel_requested_at IS NOT NULL
        """;

    public async Task<IReadOnlyList<JobHeartbeatResult>> JobHeartbeatManyAsync(string owner, IReadOnlyList<JobLease> leases, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        if (leases.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(HeartbeatSql);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("lease", leaseDuration);
        command.Parameters.AddWithValue("ids", leases.Select(l => l.JobId).ToArray());
        command.Parameters.AddWithValue("attempts", leases.Select(l => l.Attempt).ToArray());
        var results = new List<JobHeartbeatResult>(leases.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new JobHeartbeatResult(reader.GetGuid(0), reader.GetBoolean(1)));
        }

        return results;
    }

    /// <summary>The fence of DESIGN §5.4, shared by every write of an attempt.</summary>
    private const string HeldByAttempt = """
        j.id = @id
          AND j.status = 'processing'
          AND j.lease_owner = @owner
          AND j.attempt = @attempt
        """;

    public async Task<Job?> JobSetProgressIfRunningAsync(JobSetProgressParams parameters, CancellationToken cancellationToken) =>
        (await JobWriteManyAsync(new JobWriteManyParams([parameters], [], HintLimit: 0), cancellationToken)).Progressed.SingleOrDefault();
}
