using Jobs.Core.Engine;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Storage;

// The ends of an attempt (completed, failed or retried, cancelled, handed back), each fenced on the attempt's lease
// like every other write of an attempt (NpgsqlJobStore.Attempts.cs).
public sealed partial class NpgsqlJobStore
{
    // A retry puts the job back to pending, scheduled and without a hint (its slot freed): maintenance promotes it
    // and hints it once run_at has come. A job whose cancel was requested meanwhile ends cancelled instead, as a rescue
    // ends it: pending with a cancel request, no fill would hint it and no claim take it, so it would never end.
    private static readonly string FailSql = $"""
        WITH changed AS (
            UPDATE jobs j
            SET status = CASE
                    WHEN @retry_after::interval IS NULL THEN 'failed'
                    WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
                    ELSE 'pending'
                END,
                run_at = CASE WHEN @retry_after::interval IS NULL OR j.cancel_requested_at IS NOT NULL THEN j.run_at ELSE now() + @retry_after END,
                scheduled = @retry_after::interval IS NOT NULL AND @retry_after::interval > interval '0' AND j.cancel_requested_at IS NULL,
                completed_at = CASE WHEN @retry_after::interval IS NULL OR j.cancel_requested_at IS NOT NULL THEN now() END,
                error = @error,
                hinted_at = NULL,
                lease_owner = NULL,
                lease_expires_at = NULL,
                version = j.version + 1,
                updated_at = now()
            WHERE {HeldByAttempt}
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("CASE WHEN status = 'pending' THEN 'retry_scheduled' ELSE status END", "@error")}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    public async Task<Job?> JobFailIfRunningAsync(JobLease lease, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FailSql);
        AddLease(command, lease);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.Add(new NpgsqlParameter("retry_after", NpgsqlDbType.Interval) { Value = (object?)retryAfter ?? DBNull.Value });
        return await JobRows.ReadSingleAsync(command, cancellationToken);
    }

    private static readonly string CancelIfRunningSql = $"""
        WITH changed AS (
            UPDATE jobs j
            SET status = 'cancelled',
                completed_at = now(),
                lease_owner = NULL,
                lease_expires_at = NULL,
                version = j.version + 1,
                updated_at = now()
            WHERE {HeldByAttempt}
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("'cancelled'")}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    public async Task<Job?> JobCancelIfRunningAsync(JobLease lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CancelIfRunningSql);
        AddLease(command, lease);
        return await JobRows.ReadSingleAsync(command, cancellationToken);
    }

    // The caller XADDs a fresh hint right after, hence hinted_at = now(). A job whose cancel was requested meanwhile
    // ends cancelled instead (its slot freed), for the reason a retry does (FailSql).
    private static readonly string HandBackSql = $"""
        WITH changed AS (
            UPDATE jobs j
            SET status = CASE WHEN j.cancel_requested_at IS NULL THEN 'pending' ELSE 'cancelled' END,
                run_at = now(),
                hinted_at = CASE WHEN j.cancel_requested_at IS NULL THEN now() END,
                completed_at = CASE WHEN j.cancel_requested_at IS NOT NULL THEN now() END,
                lease_owner = NULL,
                lease_expires_at = NULL,
                version = j.version + 1,
                updated_at = now()
            WHERE {HeldByAttempt}
            RETURNING {JobRows.Select("j")}
        ),
        {EventFromChanged("CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE 'handed_back' END", "CASE WHEN status = 'pending' THEN 'worker shutting down' END")}
        SELECT {JobRows.Plain}
        FROM changed
        """;

    public async Task<Job?> JobHandBackIfRunningAsync(JobLease lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(HandBackSql);
        AddLease(command, lease);
        return await JobRows.ReadSingleAsync(command, cancellationToken);
    }
}
