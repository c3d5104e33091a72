using System.Text.Json;
using Jobs.Core.Engine;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Storage;

public sealed partial class NpgsqlJobStore
{
    // The claim (docs/design.md, "Delivery invariants"). A job may start only while it holds one of its workspace's
    // slots within the limit (its hint took it: NpgsqlJobStore.Hints.cs), so the claim counts nothing and waits for no
    // one: candidates locked by another claimer are passed over. A hinted candidate whose slot is now beyond a lowered
    // limit, or a hint left from before slots existed, loses its hint (and so its slot) and is hinted again, in
    // priority order, when one frees.
    //
    // Rows named by id are looked up by primary key and tested on what the lock read (the row's latest version), never
    // on the updated table: "id = ANY(…) AND status = 'pending'" there let the planner read a partial index of pending
    // jobs whole instead.
    private static readonly string ClaimSql = $"""
        WITH locked AS (
            SELECT j.id, j.status, j.slot, j.hinted_at, j.run_at, j.cancel_requested_at, w.max_concurrent_jobs
            FROM jobs j
            JOIN workspaces w ON w.id = j.workspace_id
            WHERE j.id = ANY(@ids)
            FOR UPDATE OF j SKIP LOCKED
        ),
        deferred AS (
            UPDATE jobs j
            SET hinted_at = NULL
            FROM locked l
            WHERE j.id = l.id
              AND l.status = 'pending'
              AND l.hinted_at IS NOT NULL
              AND {JobRules.SlotNotWithinLimit("l.slot", "l.max_concurrent_jobs")}
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
              AND {JobRules.SlotWithinLimit("l.slot", "l.max_concurrent_jobs")}
              AND l.run_at <= now()
              AND l.cancel_requested_at IS NULL
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("'started'")}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    // Claimable by what the row says, yet passed over by the claim: another transaction holds the row. Usually a filler
    // that read the job as ready just before its hint committed: FOR UPDATE … SKIP LOCKED locks the row's newest
    // version before re-testing it, and keeps that lock to its commit although the job no longer qualifies. Dropping
    // such a hint would strand the job, holding its slot, until maintenance re-hints stale hints.
    private static readonly string BusySql = $"""
        SELECT j.id
        FROM jobs j
        JOIN workspaces w ON w.id = j.workspace_id
        WHERE j.id = ANY(@ids)
          AND j.status = 'pending'
          AND j.hinted_at IS NOT NULL
          AND {JobRules.SlotWithinLimit("j.slot", "w.max_concurrent_jobs")}
          AND j.run_at <= now()
          AND j.cancel_requested_at IS NULL
        """;

    public async Task<JobClaimResult> JobClaimManyAsync(JobClaimManyParams parameters, CancellationToken cancellationToken)
    {
        var ids = parameters.Ids.Distinct().ToArray();
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("owner", parameters.Owner);
        command.Parameters.AddWithValue("lease", parameters.LeaseDuration);
        var claimed = await JobRows.ReadAllAsync(command, cancellationToken);
        if (claimed.Count == ids.Length)
        {
            return new JobClaimResult(claimed, []);
        }

        var won = claimed.Select(j => j.Id).ToHashSet();
        await using var busy = dataSource.CreateCommand(BusySql);
        busy.Parameters.AddWithValue("ids", ids.Where(id => !won.Contains(id)).ToArray());
        var held = new List<Guid>();
        await using var reader = await busy.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            held.Add(reader.GetGuid(0));
        }

        return new JobClaimResult(claimed, held);
    }

    private static readonly string HeartbeatSql = $"""
        UPDATE jobs j
        SET lease_expires_at = now() + @lease
        FROM unnest(@ids, @attempts) AS l(id, attempt)
        WHERE j.id = l.id
          AND {JobRules.Fence("j", "@owner", "l.attempt")}
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

    /// <summary>The fence (docs/design.md, "Leases and fencing"), shared by every write of an attempt.</summary>
    // A property, not a field: statements in other files of this class are built from it, and the order in which the
    // files' static fields are initialised is not defined.
    private static string HeldByAttempt => $"""
        j.id = @id
          AND {JobRules.Fence("j", "@owner", "@attempt")}
        """;

    public async Task<Job?> JobSetProgressIfRunningAsync(JobSetProgressParams parameters, CancellationToken cancellationToken) =>
        (await JobWriteManyAsync(new JobWriteManyParams([parameters], [], HintLimit: 0), cancellationToken)).Progressed.SingleOrDefault();
}
