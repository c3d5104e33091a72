using Jobs.Core.Engine;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Storage;

/// <summary>
/// Group commit of attempts' writes: a worker's slots queue their progress writes and completions, and one
/// batch writes all that is queued, each row fenced on its own lease as a single write would be
/// (docs/design.md, "Leases and fencing"), with its timeline events, and hints the freed slots' next jobs: one round
/// trip and one commit for many jobs.
/// </summary>
public sealed partial class NpgsqlJobStore
{
    /// <summary>The fence (docs/design.md, "Leases and fencing") for a row of <c>input</c>.</summary>
    private static readonly string HeldByInput = $"""
        j.id = i.id
          AND {JobRules.Fence("j", "i.owner", "i.attempt")}
        """;

    private const string ProgressInputSql = """
        SELECT *
        FROM unnest(@ids, @owners, @attempts, @progress, @stages, @processed_items, @total_items, @metrics, @messages, @stage_changed)
            AS t(id, owner, attempt, progress, stage, processed_items, total_items, metrics, message, stage_changed)
        """;

    private static readonly string ProgressManySql = $"""
        WITH input AS (
            {ProgressInputSql}
        ),
        changed AS (
            UPDATE jobs j
            SET progress = i.progress,
                stage = i.stage,
                processed_items = i.processed_items,
                total_items = i.total_items,
                metrics = i.metrics,
                version = j.version + 1,
                updated_at = now()
            FROM input i
            WHERE {HeldByInput}
            RETURNING {JobRows.Select("j")}
        ),
        event AS (
            INSERT INTO job_events (job_id, workspace_id, kind, status, stage, attempt, message)
            SELECT c.id, c.workspace_id, 'stage', c.status, c.stage, c.attempt, i.message
            FROM changed c
            JOIN input i ON i.id = c.id
            WHERE i.stage_changed
            ORDER BY c.id
        )
        SELECT {JobRows.Plain}
        FROM changed
        """;

    // The final progress values come with the result. A row whose stage_changed is set carries a stage write the
    // completion took over: its stage event goes in first, as if the stage write had committed just before.
    private static readonly string CompleteManySql = $"""
        WITH input AS (
            SELECT r.*, i.result
            FROM ({ProgressInputSql}) r
            JOIN unnest(@ids, @results) AS i(id, result) ON i.id = r.id
        ),
        changed AS (
            UPDATE jobs j
            SET status = 'completed',
                result = i.result,
                progress = 100,
                stage = i.stage,
                processed_items = i.processed_items,
                total_items = i.total_items,
                metrics = i.metrics,
                error = NULL,
                lease_owner = NULL,
                lease_expires_at = NULL,
                completed_at = now(),
                version = j.version + 1,
                updated_at = now()
            FROM input i
            WHERE {HeldByInput}
            RETURNING {JobRows.Select("j")}
        ),
        event AS (
            INSERT INTO job_events (job_id, workspace_id, kind, status, stage, attempt, message)
            SELECT e.id, e.workspace_id, e.kind, e.status, e.stage, e.attempt, e.message
            FROM (
                SELECT c.id, c.workspace_id, 'stage' AS kind, 'processing' AS status, c.stage, c.attempt, i.message, 0 AS step
                FROM changed c
                JOIN input i ON i.id = c.id
                WHERE i.stage_changed
                UNION ALL
                SELECT c.id, c.workspace_id, 'completed', c.status, c.stage, c.attempt, NULL, 1
                FROM changed c
            ) e
            ORDER BY e.step, e.id
        )
        SELECT {JobRows.Plain}
        FROM changed
        """;

    public async Task<JobWriteManyResult> JobWriteManyAsync(JobWriteManyParams parameters, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        if (parameters.Progress.Count > 0)
        {
            batch.BatchCommands.Add(ProgressCommand(ProgressManySql, parameters.Progress));
        }

        if (parameters.Completions.Count > 0)
        {
            var complete = ProgressCommand(CompleteManySql, parameters.Completions.Select(c => c.Final).ToList());
            complete.Parameters.Add(new NpgsqlParameter("results", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            {
                Value = parameters.Completions.Select(c => c.Result.GetRawText()).ToArray(),
            });
            batch.BatchCommands.Add(complete);
        }

        // After the completions, in the same transaction: the fills find the slots those freed (a transaction never
        // passes over its own locks).
        var workspaces = parameters.Completions.Where(c => c.WorkspaceId is not null).Select(c => c.WorkspaceId!.Value);
        var fills = parameters.HintLimit > 0 ? AddHintNext(batch, workspaces, parameters.HintLimit, leader: null) : 0;

        if (batch.BatchCommands.Count == 0)
        {
            return new JobWriteManyResult([], [], []);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var progressed = parameters.Progress.Count > 0 ? await JobRows.ReadAllAsync(reader, cancellationToken) : [];
        if (parameters.Progress.Count > 0)
        {
            await reader.NextResultAsync(cancellationToken);
        }

        var completed = parameters.Completions.Count > 0 ? await JobRows.ReadAllAsync(reader, cancellationToken) : [];
        IReadOnlyList<JobHint> hints = [];
        if (fills > 0)
        {
            await reader.NextResultAsync(cancellationToken);
            hints = await ReadHintsAsync(reader, fills, cancellationToken);
        }

        return new JobWriteManyResult(progressed, completed, hints);
    }

    private static NpgsqlBatchCommand ProgressCommand(string sql, IReadOnlyList<JobSetProgressParams> rows)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("ids", rows.Select(r => r.Lease.JobId).ToArray());
        command.Parameters.AddWithValue("owners", rows.Select(r => r.Lease.Owner).ToArray());
        command.Parameters.AddWithValue("attempts", rows.Select(r => r.Lease.Attempt).ToArray());
        command.Parameters.AddWithValue("progress", rows.Select(r => r.Progress).ToArray());
        command.Parameters.Add(new NpgsqlParameter("stages", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Stage).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("processed_items", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.ProcessedItems).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("total_items", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.TotalItems).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("metrics", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rows.Select(r => r.Metrics.GetRawText()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("messages", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Message).ToArray() });
        command.Parameters.AddWithValue("stage_changed", rows.Select(r => r.StageChanged).ToArray());
        return command;
    }
}
