using Jobs.Contracts.Jobs;
using Jobs.Contracts.Stats;
using Npgsql;

namespace Jobs.Core.Engine.Storage;

public sealed partial class NpgsqlJobStore
{
    private const string CountsByStatusSql = """
        SELECT status, count(*)
        FROM jobs
        WHERE workspace_id = @workspace_id
        GROUP BY status
        """;

    private const string ThroughputSql = """
        SELECT date_trunc('minute', completed_at) AS minute,
               count(*) FILTER (WHERE status = 'completed'),
               count(*) FILTER (WHERE status = 'failed')
        FROM jobs
        WHERE workspace_id = @workspace_id
          AND completed_at >= now() - interval '60 minutes'
        GROUP BY 1
        ORDER BY 1
        """;

    private const string DurationsSql = """
        SELECT count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)),
               percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at))
        FROM jobs
        WHERE workspace_id = @workspace_id
          AND status = 'completed'
          AND completed_at >= now() - interval '60 minutes'
        """;

    private const string PendingByQueueSql = """
        SELECT queue, count(*)
        FROM jobs
        WHERE workspace_id = @workspace_id
          AND status = 'pending'
        GROUP BY queue
        """;

    private const string RunningByWorkerSql = """
        SELECT lease_owner, count(*)
        FROM jobs
        WHERE workspace_id = @workspace_id
          AND status = 'processing'
        GROUP BY lease_owner
        """;

    public async Task<JobStats> JobStatsGetAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var counts = JobStatus.All.ToDictionary(s => s, _ => 0L);
        await ReadRowsAsync(connection, CountsByStatusSql, workspaceId, r => counts[r.GetString(0)] = r.GetInt64(1), cancellationToken);

        var throughput = new List<ThroughputPoint>();
        await ReadRowsAsync(connection, ThroughputSql, workspaceId,
            r => throughput.Add(new ThroughputPoint(r.GetFieldValue<DateTimeOffset>(0), r.GetInt64(1), r.GetInt64(2))), cancellationToken);

        var durations = new DurationPercentiles(0, null, null, null);
        await ReadRowsAsync(connection, DurationsSql, workspaceId, r => durations = new DurationPercentiles(
            r.GetInt64(0),
            r.IsDBNull(1) ? null : r.GetDouble(1),
            r.IsDBNull(2) ? null : r.GetDouble(2),
            r.IsDBNull(3) ? null : r.GetDouble(3)), cancellationToken);

        var pendingByQueue = new Dictionary<string, long>();
        await ReadRowsAsync(connection, PendingByQueueSql, workspaceId, r => pendingByQueue[r.GetString(0)] = r.GetInt64(1), cancellationToken);

        var runningByWorker = new Dictionary<string, long>();
        await ReadRowsAsync(connection, RunningByWorkerSql, workspaceId, r => runningByWorker[r.GetString(0)] = r.GetInt64(1), cancellationToken);

        return new JobStats(counts, throughput, durations, pendingByQueue, runningByWorker);
    }

    private static async Task ReadRowsAsync(NpgsqlConnection connection, string sql, Guid workspaceId, Action<NpgsqlDataReader> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }
}
