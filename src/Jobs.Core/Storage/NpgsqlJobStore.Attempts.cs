using System.Text.Json;
using Jobs.Core.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Storage;

public sealed partial class NpgsqlJobStore
{
    // DESIGN §5.3. A job may start only while it holds one of its workspace's slots within the limit (its hint took
    // it: NpgsqlJobStore.Hints.cs), so the claim counts nothing and waits for no one: candidates locked by another
    // claimer are passed over. A hinted candidate whose slot is now beyond a lowered limit, or a hint left from
    // before slots existed, loses its hint (and so its slot) and is hinted again, in priority order, when one frees.
    //
    // Rows named by id are looked up by primary key and tested on what the lock read (the row's latest version), never
    // on the updated table: "id = ANY(…) AND status = 'pending'" there let the planner read a partial index of pending
    // jobs whole instead.
    private static readonly string ClaimSql = $"""
        WITH locked AS (
            SELECT j.id, j.status, j.slot, j.enqueued_at, j.run_at, j.cancel_requested_at, w.max_concurrent_jobs
            FROM jobs j
            JOIN workspaces w ON w.id = j.workspace_id
            WHERE j.id = ANY(@ids)
            FOR UPDATE OF j SKIP LOCKED
        ),
        deferred AS (
            UPDATE jobs j
            SET enqueued_at = NULL
            FROM locked l
            WHERE j.id = l.id
              AND l.status = 'pending'
              AND l.enqueued_at IS NOT NULL
              AND (l.slot IS NULL OR l.slot > l.max_concurrent_jobs)
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
            FROM locked l
            WHERE j.id = l.id
              AND l.status = 'pending'
              AND l.slot <= l.max_concurrent_jobs
              AND l.run_at <= now()
              AND l.cancel_requested_at IS NULL
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("'started'")}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    public async Task<IReadOnlyList<Job>> JobClaimManyAsync(JobClaimManyParams parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.AddWithValue("ids", parameters.Ids.Distinct().ToArray());
        command.Parameters.AddWithValue("owner", parameters.Owner);
        command.Parameters.AddWithValue("lease", parameters.LeaseDuration);
        return await JobRows.ReadAllAsync(command, cancellationToken);
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
