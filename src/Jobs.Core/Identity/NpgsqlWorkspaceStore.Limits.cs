using Jobs.Contracts.Workspaces;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Identity;

/// <summary>The limits an admin changes, and how much of them a workspace uses.</summary>
public sealed partial class NpgsqlWorkspaceStore
{
    // The readers of these columns (the claim's concurrency cap, the submit checks, the contact jobs) read them from
    // the row on every use, so a change applies to the next claim, submission or job without a restart.
    private const string WorkspaceLimitsSetSql = """
        UPDATE workspaces
        SET max_concurrent_jobs = @max_concurrent_jobs,
            max_batch_items = @max_batch_items,
            bulk_jobs_per_hour = @bulk_jobs_per_hour,
            requests_per_minute = @requests_per_minute,
            subscribe_batch_size = @subscribe_batch_size,
            subscribe_batch_pause_ms = @subscribe_batch_pause_ms
        WHERE id = @id
        """;

    // A limit given as null keeps its stored value. Naming max_concurrent_jobs fires the job_slots trigger even when it
    // stays the same, which then adds no slot (it adds only missing ones).
    private const string WorkspaceLimitsOverrideSql = """
        UPDATE workspaces
        SET max_concurrent_jobs = COALESCE(@max_concurrent_jobs, max_concurrent_jobs),
            requests_per_minute = COALESCE(@requests_per_minute, requests_per_minute),
            bulk_jobs_per_hour = COALESCE(@bulk_jobs_per_hour, bulk_jobs_per_hour)
        WHERE id = @id
        """;

    private const string WorkspaceLimitsCapSql = """
        UPDATE workspaces
        SET max_concurrent_jobs = LEAST(max_concurrent_jobs, @max_concurrent_jobs),
            max_batch_items = LEAST(max_batch_items, @max_batch_items),
            bulk_jobs_per_hour = LEAST(bulk_jobs_per_hour, @bulk_jobs_per_hour),
            requests_per_minute = LEAST(requests_per_minute, @requests_per_minute)
        WHERE max_concurrent_jobs > @max_concurrent_jobs
           OR max_batch_items > @max_batch_items
           OR bulk_jobs_per_hour > @bulk_jobs_per_hour
           OR requests_per_minute > @requests_per_minute
        """;

    private const string WorkspaceUsageGetSql = """
        SELECT count(*) FILTER (WHERE status = 'processing'),
               count(*) FILTER (WHERE status = 'pending')
        FROM jobs
        WHERE workspace_id = @workspace_id
          AND status IN ('pending', 'processing')
        """;

    public async Task<bool> WorkspaceLimitsSetAsync(Guid workspaceId, WorkspaceLimits limits, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkspaceLimitsSetSql);
        command.Parameters.AddWithValue("id", workspaceId);
        command.Parameters.AddWithValue("max_concurrent_jobs", limits.MaxConcurrentJobs);
        command.Parameters.AddWithValue("max_batch_items", limits.MaxBatchItems);
        command.Parameters.AddWithValue("bulk_jobs_per_hour", limits.BulkJobsPerHour);
        command.Parameters.AddWithValue("requests_per_minute", limits.RequestsPerMinute);
        command.Parameters.AddWithValue("subscribe_batch_size", limits.SubscribeBatchSize);
        command.Parameters.AddWithValue("subscribe_batch_pause_ms", limits.SubscribeBatchPauseMs);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> WorkspaceLimitsOverrideAsync(Guid workspaceId, WorkspaceLimitOverrides overrides, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkspaceLimitsOverrideSql);
        command.Parameters.AddWithValue("id", workspaceId);
        command.Parameters.Add(NullableInteger("max_concurrent_jobs", overrides.MaxConcurrentJobs));
        command.Parameters.Add(NullableInteger("requests_per_minute", overrides.RequestsPerMinute));
        command.Parameters.Add(NullableInteger("bulk_jobs_per_hour", overrides.BulkJobsPerHour));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> WorkspaceLimitsCapAsync(WorkspaceLimitCeilings ceilings, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkspaceLimitsCapSql);
        command.Parameters.AddWithValue("max_concurrent_jobs", ceilings.MaxConcurrentJobs);
        command.Parameters.AddWithValue("max_batch_items", ceilings.MaxBatchItems);
        command.Parameters.AddWithValue("bulk_jobs_per_hour", ceilings.BulkJobsPerHour);
        command.Parameters.AddWithValue("requests_per_minute", ceilings.RequestsPerMinute);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<WorkspaceUsage> WorkspaceUsageGetAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkspaceUsageGetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new WorkspaceUsage(reader.GetInt64(0), reader.GetInt64(1));
    }

    private static NpgsqlParameter NullableInteger(string name, int? value) =>
        new(name, NpgsqlDbType.Integer) { Value = (object?)value ?? DBNull.Value };
}
