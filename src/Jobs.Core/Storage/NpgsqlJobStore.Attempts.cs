using System.Text.Json;
using Jobs.Core.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Storage;

public sealed partial class NpgsqlJobStore
{
    private const string WorkspacesOfCandidatesSql = """
        SELECT DISTINCT workspace_id
        FROM jobs
        WHERE id = ANY(@ids)
          AND status = 'pending'
        ORDER BY workspace_id
        """;

    // Serialises claims per workspace so that two workers cannot both see "4 processing" and take the fifth slot
    // twice. Locks are taken in workspace order, so concurrent claimers cannot deadlock.
    private const string LockWorkspaceSql = "SELECT pg_advisory_xact_lock(hashtextextended(@workspace_id::text, 7))";

    // A claimer paused between these statements (a long GC, SIGSTOP, a partition) would hold its workspaces' locks,
    // and so every other worker's claims for them, until it resumed: the server ends such a session instead, and the
    // claim fails and is retried like any other database error (the chaos suite's soak run found this).
    private const string ClaimIdleTimeoutSql = "SET LOCAL idle_in_transaction_session_timeout = '1s'";

    // DESIGN §5.3. Hints are bounded by the free slots (NpgsqlJobStore.Hints.cs), so a candidate beyond them is rare
    // (a duplicate or stale hint); it stays pending but loses its hint (enqueued_at NULL) and is hinted again, in
    // priority order, when a slot frees (worker) or by maintenance if that worker dies.
    private static readonly string ClaimSql = $"""
        WITH candidates AS (
            SELECT j.id, j.workspace_id, j.priority
            FROM jobs j
            WHERE j.id = ANY(@ids)
              AND j.status = 'pending'
              AND j.run_at <= now()
              AND j.cancel_requested_at IS NULL
            FOR UPDATE SKIP LOCKED
        ),
        ranked AS (
            SELECT c.id,
                   row_number() OVER (PARTITION BY c.workspace_id ORDER BY c.priority DESC, c.id) AS rank,
                   w.max_concurrent_jobs - (
                       SELECT count(*)
                       FROM jobs p
                       WHERE p.workspace_id = c.workspace_id
                         AND p.status = 'processing') AS free_slots
            FROM candidates c
            JOIN workspaces w ON w.id = c.workspace_id
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

    public async Task<IReadOnlyList<Job>> JobClaimManyAsync(JobClaimManyParams parameters, CancellationToken cancellationToken)
    {
        var ids = parameters.Ids.Distinct().ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var timeout = new NpgsqlCommand(ClaimIdleTimeoutSql, connection, transaction))
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        var workspaces = new List<Guid>();
        await using (var command = new NpgsqlCommand(WorkspacesOfCandidatesSql, connection, transaction))
        {
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                workspaces.Add(reader.GetGuid(0));
            }
        }

        if (workspaces.Count == 0)
        {
            return [];
        }

        foreach (var workspaceId in workspaces)
        {
            await using var command = new NpgsqlCommand(LockWorkspaceSql, connection, transaction);
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        List<Job> claimed;
        await using (var command = new NpgsqlCommand(ClaimSql, connection, transaction))
        {
            command.Parameters.AddWithValue("ids", ids);
            command.Parameters.AddWithValue("owner", parameters.Owner);
            command.Parameters.AddWithValue("lease", parameters.LeaseDuration);
            claimed = await JobRows.ReadAllAsync(command, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
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

    private static readonly string SetProgressSql = $"""
        WITH changed AS (
            UPDATE jobs j
            SET progress = @progress,
                stage = @stage,
                processed_items = @processed_items,
                total_items = @total_items,
                metrics = @metrics,
                version = j.version + 1,
                updated_at = now()
            WHERE {HeldByAttempt}
            RETURNING {JobRows.Select("j")}
        ),
        event AS (
            INSERT INTO job_events (job_id, workspace_id, kind, status, stage, attempt, message)
            SELECT id, workspace_id, 'stage', status, stage, attempt, @message
            FROM changed
            WHERE @stage_changed
        )
        SELECT {JobRows.Plain}
        FROM changed
        """;

    public async Task<Job?> JobSetProgressIfRunningAsync(JobSetProgressParams parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SetProgressSql);
        AddProgress(command, parameters);
        command.Parameters.Add(NullableText("message", parameters.Message));
        command.Parameters.AddWithValue("stage_changed", parameters.StageChanged);
        return await JobRows.ReadSingleAsync(command, cancellationToken);
    }

    private static void AddProgress(NpgsqlCommand command, JobSetProgressParams parameters)
    {
        AddLease(command, parameters.Lease);
        command.Parameters.AddWithValue("progress", parameters.Progress);
        command.Parameters.Add(NullableText("stage", parameters.Stage));
        command.Parameters.Add(new NpgsqlParameter("processed_items", NpgsqlDbType.Bigint) { Value = (object?)parameters.ProcessedItems ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("total_items", NpgsqlDbType.Bigint) { Value = (object?)parameters.TotalItems ?? DBNull.Value });
        command.Parameters.Add(Jsonb("metrics", parameters.Metrics));
    }
}
