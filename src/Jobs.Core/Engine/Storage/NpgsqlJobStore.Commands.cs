using Jobs.Core.Engine;
using Npgsql;

namespace Jobs.Core.Engine.Storage;

public sealed partial class NpgsqlJobStore
{
    // Pending → cancelled at once. Processing → only cancel_requested_at: the worker running it hears of it, stops
    // the handler and writes 'cancelled' itself, so the outcome of the attempt is still written once.
    private static readonly string CancelSql = $"""
        WITH changed AS (
            UPDATE jobs j
            SET status = CASE WHEN j.status = 'pending' THEN 'cancelled' ELSE j.status END,
                completed_at = CASE WHEN j.status = 'pending' THEN now() ELSE j.completed_at END,
                cancel_requested_at = now(),
                version = j.version + 1,
                updated_at = now()
            WHERE j.workspace_id = @workspace_id
              AND j.id = @id
              AND (j.status = 'pending' OR (j.status = 'processing' AND j.cancel_requested_at IS NULL))
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE 'cancel_requested' END", "'cancelled by user'", ActorSql)}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    // attempt keeps counting (it is the fencing token); the fresh budget raises max_attempts instead. Un-hinted: the
    // caller hints the workspace's next jobs within its bound (NpgsqlJobStore.Hints.cs). A retry runs the job now,
    // whatever its dependencies (docs/design.md, "Dependencies"): it waits for nothing any more.
    private static readonly string RetrySql = $"""
        WITH changed AS (
            UPDATE jobs j
            SET status = 'pending',
                max_attempts = j.attempt + j.attempts_per_run,
                run_at = now(),
                scheduled = false,
                waiting_for = 0,
                hinted_at = NULL,
                cancel_requested_at = NULL,
                completed_at = NULL,
                error = NULL,
                result = NULL,
                progress = 0,
                stage = NULL,
                processed_items = NULL,
                total_items = NULL,
                metrics = '{"{}"}',
                version = j.version + 1,
                updated_at = now()
            WHERE j.workspace_id = @workspace_id
              AND j.id = @id
              AND j.status IN ('failed', 'cancelled')
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("'retried'", "'retried by user'", ActorSql)}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    public Task<JobCommandResult> JobCancelAsync(Guid workspaceId, Guid jobId, JobActor? actor, CancellationToken cancellationToken) =>
        RunCommandAsync(CancelSql, workspaceId, jobId, actor, cancellationToken);

    public Task<JobCommandResult> JobRetryAsync(Guid workspaceId, Guid jobId, JobActor? actor, CancellationToken cancellationToken) =>
        RunCommandAsync(RetrySql, workspaceId, jobId, actor, cancellationToken);

    private async Task<JobCommandResult> RunCommandAsync(string sql, Guid workspaceId, Guid jobId, JobActor? actor, CancellationToken cancellationToken)
    {
        await using (var command = dataSource.CreateCommand(sql))
        {
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("id", jobId);
            AddActor(command, actor);
            if (await JobRows.ReadSingleAsync(command, cancellationToken) is { } changed)
            {
                return new JobCommandResult(changed, Applied: true);
            }
        }

        // Not applied: tell "no such job here" (404) from "not allowed from its status" (409).
        return new JobCommandResult(await JobGetAsync(workspaceId, jobId, cancellationToken), Applied: false);
    }
}
