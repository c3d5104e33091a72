using Jobs.Core.Engine;
using Jobs.Core.Engine.Dependencies;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Storage;

public sealed partial class NpgsqlJobStore
{
    // One statement for one job or a thousand: the inputs travel as parallel arrays. No job is hinted here: the
    // caller then asks JobHintDueAsync for the workspace's next jobs within its bound (NpgsqlJobStore.Hints.cs).
    // An input with an idempotency key is inserted only when its key row is new or expired (taken over); racing
    // submissions of one key wait on the key row's lock, and all but the first find it live and insert nothing.
    // Dependencies (docs/design.md, "Dependencies") travel as pairs (@dep_jobs[i] waits for @dep_ons[i]); the jobs
    // waited for are share-locked and their status read under the lock, so a dependency whose outcome is committing
    // now is either seen final here or finds this job's dependency rows when its trigger runs: no decrement is lost.
    private static readonly string InsertManySql = $"""
        WITH input AS (
            SELECT *
            FROM unnest(@ids, @types, @queues, @priorities, @payloads, @run_ats, @max_attempts, @timeouts, @keys, @hashes,
                        @schedule_ids, @schedule_ticks, @policies)
                AS t(id, type, queue, priority, payload, run_at, max_attempts, timeout_seconds, idempotency_key, request_hash,
                     schedule_id, schedule_tick_at, on_dependency_failure)
        ),
        {DependenciesSql}
        claimed AS (
            INSERT INTO idempotency_keys AS k (workspace_id, key, job_id, request_hash, expires_at)
            SELECT @workspace_id, i.idempotency_key, i.id, i.request_hash, now() + @key_lifetime
            FROM input i
            WHERE i.idempotency_key IS NOT NULL
            ON CONFLICT (workspace_id, key) DO UPDATE
            SET job_id = excluded.job_id,
                request_hash = excluded.request_hash,
                created_at = now(),
                expires_at = excluded.expires_at
            WHERE k.expires_at <= now()
            RETURNING k.job_id
        ),
        pauses AS (
            {JobRules.PausesOf("@workspace_id")}
        ),
        changed AS (
            INSERT INTO jobs (id, workspace_id, user_id, type, queue, priority, status, payload, max_attempts,
                              attempts_per_run, run_at, scheduled, timeout_seconds, idempotency_key, schedule_id, schedule_tick_at,
                              waiting_for, on_dependency_failure, completed_at, error, paused)
            SELECT i.id, @workspace_id, @user_id, i.type, i.queue, i.priority,
                   CASE WHEN w.doomed_by IS NOT NULL THEN 'cancelled' ELSE 'pending' END, i.payload, i.max_attempts,
                   i.max_attempts,
                   CASE WHEN coalesce(w.waiting, 0) > 0 THEN 'infinity' ELSE coalesce(i.run_at, now()) END,
                   coalesce(w.waiting, 0) > 0 OR coalesce(i.run_at > now(), false), i.timeout_seconds, i.idempotency_key,
                   i.schedule_id, i.schedule_tick_at,
                   coalesce(w.waiting, 0), i.on_dependency_failure,
                   CASE WHEN w.doomed_by IS NOT NULL THEN now() END,
                   CASE WHEN w.doomed_by IS NOT NULL THEN 'dependency ' || w.doomed_by END,
                   NOT ({JobRules.NotPaused("i", "pz.paused_types", "pz.paused_queues")})
            FROM input i
            CROSS JOIN pauses pz
            LEFT JOIN waits w ON w.job_id = i.id
            WHERE i.idempotency_key IS NULL
               OR i.id IN (SELECT c.job_id FROM claimed c)
            RETURNING {JobRows.Select("jobs")}
        ),
        linked AS (
            INSERT INTO job_dependencies (job_id, depends_on_id)
            SELECT d.job_id, d.depends_on_id
            FROM deps d
            WHERE d.job_id IN (SELECT c.id FROM changed c)
              AND (d.depends_on_id NOT IN (SELECT n.id FROM input n) OR d.depends_on_id IN (SELECT c.id FROM changed c))
        ),
        {EventFromChanged("'created'", actor: ActorSql)}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    // Each input's dependencies that still exist in the workspace, with their status read under a share lock (a
    // retention delete in between drops one: it had finished long ago). An unfinished one is waited for; a completed
    // one counts as done; a failed or cancelled one counts as done for 'run' and cancels the job at once for 'cancel'.
    private const string DependenciesSql = """
        locked AS (
            SELECT q.id, q.status
            FROM jobs q
            WHERE q.id = ANY(@dep_ons)
              AND q.workspace_id = @workspace_id
            ORDER BY q.id
            FOR SHARE
        ),
        deps AS (
            SELECT d.job_id, d.depends_on_id, l.status
            FROM unnest(@dep_jobs, @dep_ons) AS d(job_id, depends_on_id)
            JOIN locked l ON l.id = d.depends_on_id
            UNION ALL
            -- An earlier item of the same call: new, so unfinished.
            SELECT d.job_id, d.depends_on_id, 'pending'
            FROM unnest(@dep_jobs, @dep_ons) AS d(job_id, depends_on_id)
            WHERE d.depends_on_id IN (SELECT n.id FROM input n)
        ),
        waits AS (
            SELECT d.job_id,
                   count(*) FILTER (WHERE d.status NOT IN ('completed', 'failed', 'cancelled')) AS waiting,
                   min(d.depends_on_id::text || CASE WHEN d.status = 'failed' THEN ' failed' ELSE ' was cancelled' END)
                       FILTER (WHERE d.status IN ('failed', 'cancelled') AND i.on_dependency_failure = 'cancel') AS doomed_by
            FROM deps d
            JOIN input i ON i.id = d.job_id
            GROUP BY d.job_id
        ),
        """;

    /// <remarks>
    /// Without idempotency keys, insert and hint travel as one batch: one round trip, one commit
    /// (<see cref="JobInsertGroupsAsync"/>). With keys, a conflicting input needs the job its key names before the
    /// transaction can decide to commit or roll back.
    /// </remarks>
    public async Task<JobInsertManyResult> JobInsertManyAsync(JobInsertManyParams parameters, CancellationToken cancellationToken)
    {
        var inputs = parameters.Jobs;
        if (inputs.All(j => j.IdempotencyKey is null))
        {
            var (groups, groupHints) = await JobInsertGroupsAsync([parameters], cancellationToken);
            return groups[0] with { Hints = groupHints };
        }

        var ids = inputs.Select(_ => Guid.CreateVersion7()).ToArray();
        var hashes = inputs.Select(j => j.IdempotencyKey is null ? null : JobRequestHash.Compute(j)).ToArray();
        var insert = InsertCommand(parameters, ids, hashes);
        var hinting = parameters.HintLimit > 0 && HasDueJob(parameters);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        List<Job> inserted;
        await using (var keyed = new NpgsqlBatch(connection, transaction))
        {
            keyed.BatchCommands.Add(insert);
            await using var reader = await keyed.ExecuteReaderAsync(cancellationToken);
            inserted = await JobRows.ReadAllAsync(reader, cancellationToken);
        }

        var results = await ResolveKeysAsync(connection, transaction, parameters, ids, hashes, inserted.ToDictionary(j => j.Id), cancellationToken);
        if (results.Any(r => !r.SameRequest))
        {
            await transaction.RollbackAsync(cancellationToken);
            return new JobInsertManyResult(results.Select(r => r with { Created = false }).ToList(), []);
        }

        var hints = hinting && results.Any(r => r.Created)
            ? await HintNextAsync(connection, parameters.WorkspaceId, parameters.HintLimit, leader: null, cancellationToken, transaction)
            : [];

        await transaction.CommitAsync(cancellationToken);
        return new JobInsertManyResult(results, hints);
    }

    /// <summary>
    /// Several callers' submits without idempotency keys in one batch: an insert per caller, then one fill per workspace
    /// that has a job due now, so one round trip and one commit for them all (the API coalesces concurrent single
    /// submits this way). Each group's result carries no hints; the second value holds them all.
    /// </summary>
    public async Task<(IReadOnlyList<JobInsertManyResult> Groups, IReadOnlyList<JobHint> Hints)> JobInsertGroupsAsync(
        IReadOnlyList<JobInsertManyParams> groups, CancellationToken cancellationToken)
    {
        if (groups.Any(g => g.Jobs.Any(j => j.IdempotencyKey is not null)))
        {
            throw new ArgumentException("Submits with idempotency keys are inserted one call at a time.", nameof(groups));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var groupIds = groups.Select(g => g.Jobs.Select(_ => Guid.CreateVersion7()).ToArray()).ToArray();
        for (var i = 0; i < groups.Count; i++)
        {
            batch.BatchCommands.Add(InsertCommand(groups[i], groupIds[i], new byte[]?[groups[i].Jobs.Count]));
        }

        var hintLimit = groups.Max(g => g.HintLimit);
        var fills = hintLimit > 0 ? AddHintNext(batch, groups.Where(g => g.HintLimit > 0 && HasDueJob(g)).Select(g => g.WorkspaceId), hintLimit, leader: null) : 0;

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var results = new List<JobInsertManyResult>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            if (i > 0)
            {
                await reader.NextResultAsync(cancellationToken);
            }

            // RETURNING promises no order (the dependencies' join may change it): the results follow the inputs.
            var created = (await JobRows.ReadAllAsync(reader, cancellationToken)).ToDictionary(j => j.Id);
            results.Add(new JobInsertManyResult([.. groupIds[i].Select(id => new JobInsertResult(created[id], Created: true, SameRequest: true))], []));
        }

        if (fills == 0)
        {
            return (results, []);
        }

        await reader.NextResultAsync(cancellationToken);
        return (results, await ReadHintsAsync(reader, fills, cancellationToken));
    }

    // A delayed job is hinted by maintenance once due; a job due now may be hinted at once.
    private static bool HasDueJob(JobInsertManyParams parameters) =>
        parameters.Jobs.Any(j => j.RunAt is null || j.RunAt <= DateTimeOffset.UtcNow);

    internal static NpgsqlBatchCommand InsertCommand(JobInsertManyParams parameters, Guid[] ids, byte[]?[] hashes)
    {
        var inputs = parameters.Jobs;
        var command = new NpgsqlBatchCommand(InsertManySql);
        command.Parameters.AddWithValue("workspace_id", parameters.WorkspaceId);
        command.Parameters.AddWithValue("user_id", parameters.UserId);
        AddActor(command.Parameters, new JobActor(parameters.UserId, parameters.ApiKeyId));
        command.Parameters.AddWithValue("key_lifetime", parameters.IdempotencyKeyLifetime);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("types", inputs.Select(j => j.Type).ToArray());
        command.Parameters.AddWithValue("queues", inputs.Select(j => j.Queue).ToArray());
        command.Parameters.AddWithValue("priorities", inputs.Select(j => j.Priority).ToArray());
        command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = inputs.Select(j => j.Payload.GetRawText()).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("run_ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = inputs.Select(j => j.RunAt?.UtcDateTime).ToArray(),
        });
        command.Parameters.AddWithValue("max_attempts", inputs.Select(j => j.MaxAttempts).ToArray());
        command.Parameters.AddWithValue("timeouts", inputs.Select(j => j.TimeoutSeconds).ToArray());
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = inputs.Select(j => j.IdempotencyKey).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = hashes });
        command.Parameters.Add(new NpgsqlParameter("schedule_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid)
        {
            Value = inputs.Select(j => j.ScheduleId).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("schedule_ticks", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = inputs.Select(j => j.ScheduleTickAt?.UtcDateTime).ToArray(),
        });
        command.Parameters.AddWithValue("policies", inputs.Select(j => j.OnDependencyFailure).ToArray());
        var pairs = inputs.SelectMany((j, i) => (j.DependsOn ?? []).Concat((j.DependsOnItems ?? []).Select(item => ids[item]))
            .Select(d => (Job: ids[i], On: d))).ToArray();
        command.Parameters.AddWithValue("dep_jobs", pairs.Select(p => p.Job).ToArray());
        command.Parameters.AddWithValue("dep_ons", pairs.Select(p => p.On).ToArray());
        return command;
    }
}
