using System.Text.Json;
using Jobs.Core.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Storage;

public sealed partial class NpgsqlJobStore
{
    // One statement for one job or a thousand: the inputs travel as parallel arrays. No job is hinted here: the
    // caller then asks JobEnqueueDueAsync for the workspace's next jobs within its bound (NpgsqlJobStore.Hints.cs).
    private static readonly string InsertManySql = $"""
        WITH input AS (
            SELECT *
            FROM unnest(@ids, @types, @queues, @priorities, @payloads, @run_ats, @max_attempts, @timeouts, @keys)
                AS t(id, type, queue, priority, payload, run_at, max_attempts, timeout_seconds, idempotency_key)
        ),
        changed AS (
            INSERT INTO jobs (id, workspace_id, user_id, type, queue, priority, status, payload, max_attempts,
                              attempts_per_run, run_at, timeout_seconds, idempotency_key)
            SELECT i.id, @workspace_id, @user_id, i.type, i.queue, i.priority, 'pending', i.payload, i.max_attempts,
                   i.max_attempts, coalesce(i.run_at, now()), i.timeout_seconds, i.idempotency_key
            FROM input i
            ON CONFLICT (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING {JobRows.Select("jobs")}
        ),
        {EventFromChanged("'created'")}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    private static readonly string GetByIdempotencyKeySql = $"""
        SELECT {JobRows.Select("j")}
        FROM jobs j
        WHERE j.workspace_id = @workspace_id
          AND j.idempotency_key = @key
        """;

    public async Task<IReadOnlyList<JobInsertResult>> JobInsertManyAsync(JobInsertManyParams parameters, CancellationToken cancellationToken)
    {
        var inputs = parameters.Jobs;
        var ids = inputs.Select(_ => Guid.CreateVersion7()).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(InsertManySql, connection, transaction);
        command.Parameters.AddWithValue("workspace_id", parameters.WorkspaceId);
        command.Parameters.AddWithValue("user_id", parameters.UserId);
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
        var inserted = (await JobRows.ReadAllAsync(command, cancellationToken)).ToDictionary(j => j.Id);

        var results = new List<JobInsertResult>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inserted.TryGetValue(ids[i], out var job))
            {
                results.Add(new JobInsertResult(job, Created: true, SameRequest: true));
                continue;
            }

            // Only a conflicting idempotency key makes the insert skip a row: return the job it names.
            var key = inputs[i].IdempotencyKey ?? throw new InvalidOperationException("A job without an idempotency key was not inserted.");
            await using var get = new NpgsqlCommand(GetByIdempotencyKeySql, connection, transaction);
            get.Parameters.AddWithValue("workspace_id", parameters.WorkspaceId);
            get.Parameters.AddWithValue("key", key);
            var existing = await JobRows.ReadSingleAsync(get, cancellationToken)
                ?? throw new InvalidOperationException($"Idempotency key '{key}' conflicted but no job holds it.");
            var same = existing.Type == inputs[i].Type && JsonElement.DeepEquals(existing.Payload, inputs[i].Payload);
            results.Add(new JobInsertResult(existing, Created: false, SameRequest: same));
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    private const string MarkUnhintedSql = """
        UPDATE jobs
        SET enqueued_at = NULL
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
