namespace Jobs.Core.Engine.Storage;

/// <summary>Retention: ended jobs deleted once they are older than their status allows.</summary>
public sealed partial class NpgsqlJobStore
{
    // Per workspace, through jobs_workspace_completed_at (workspace_id, completed_at) from the shorter retention back:
    // the oldest expired jobs first (a failed job still within its longer retention is passed over, not in the way).
    // The DELETE repeats the conditions, so that a job retried between the read and the delete (completed_at NULL
    // again) is left alone. A retention of zero (the interval '0') keeps that status forever. Events, files (their
    // content unlinked by trigger), the deletion journal and idempotency keys go with the job (ON DELETE CASCADE).
    private const string ExpiredSql = """
        j.completed_at IS NOT NULL
          AND CASE WHEN j.status = 'failed' THEN @failed <> interval '0' AND j.completed_at < now() - @failed
                   ELSE @completed <> interval '0' AND j.completed_at < now() - @completed
              END
        """;

    private const string DeleteEndedSql = $"""
        WITH candidates AS (
            SELECT old.id
            FROM workspaces w
            CROSS JOIN LATERAL (
                SELECT j.id
                FROM jobs j
                WHERE j.workspace_id = w.id
                  AND j.completed_at < now() - @shortest
                  AND {ExpiredSql}
                ORDER BY j.completed_at
                LIMIT @limit
            ) old
            LIMIT @limit
        )
        DELETE FROM jobs j
        USING candidates c
        WHERE j.id = c.id
          AND {ExpiredSql}
        """;

    public async Task<int> JobDeleteEndedAsync(JobRetention retention, int limit, CancellationToken cancellationToken)
    {
        if (retention.KeepsEverything)
        {
            return 0;
        }

        // The candidates' range: the shorter retention that is not "forever".
        TimeSpan[] kept = [.. new[] { retention.Completed, retention.Failed }.Where(t => t > TimeSpan.Zero)];
        await using var command = dataSource.CreateCommand(DeleteEndedSql);
        command.Parameters.AddWithValue("shortest", kept.Min());
        command.Parameters.AddWithValue("completed", retention.Completed);
        command.Parameters.AddWithValue("failed", retention.Failed);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
