using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Catalog;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Storage;

/// <summary>The one <see cref="IClusterStore"/> implementation.</summary>
public sealed class NpgsqlClusterStore(NpgsqlDataSource dataSource) : IClusterStore
{
    private const string WorkerHeartbeatSql = """
        INSERT INTO workers (id, host, queues, slots, started_at, heartbeat_at)
        VALUES (@id, @host, @queues, @slots, @started_at, now())
        ON CONFLICT (id) DO UPDATE
        SET heartbeat_at = now(),
            queues = excluded.queues,
            slots = excluded.slots
        """;

    private const string WorkerDeleteSql = "DELETE FROM workers WHERE id = @id";

    // The stored value or, when there is none, the candidate just inserted. An insert that loses to a concurrent one
    // waits for it, but the select's snapshot predates that commit: it then reads nothing, and a second run reads it.
    private const string PlatformSecretGetOrCreateSql = """
        WITH inserted AS (
            INSERT INTO platform_secrets (name, value) VALUES (@name, @value)
            ON CONFLICT (name) DO NOTHING
            RETURNING value
        )
        SELECT value FROM inserted
        UNION ALL
        SELECT value FROM platform_secrets WHERE name = @name
        LIMIT 1
        """;

    private const string WorkerListLiveSql = """
        SELECT id, host, queues, slots, started_at, heartbeat_at
        FROM workers
        WHERE heartbeat_at > now() - @live_within
        ORDER BY started_at
        """;

    private const string WorkerDeleteDeadSql = "DELETE FROM workers WHERE heartbeat_at < now() - @dead_after";

    // Take the role when it is free or expired; renew it when we hold it. The term grows only on a change of
    // leader, so a deposed leader's writes (fenced on name, id and term) stop matching at once.
    private const string LeaderAttemptElectSql = """
        INSERT INTO leader_leases AS l (name, leader_id, term, expires_at)
        VALUES (@name, @leader_id, 1, now() + @ttl)
        ON CONFLICT (name) DO UPDATE
        SET leader_id = excluded.leader_id,
            term = CASE WHEN l.leader_id = excluded.leader_id AND l.expires_at > now() THEN l.term ELSE l.term + 1 END,
            expires_at = excluded.expires_at
        WHERE l.leader_id = excluded.leader_id
           OR l.expires_at <= now()
        RETURNING term
        """;

    private const string LeaderResignSql = """
        UPDATE leader_leases
        SET expires_at = now()
        WHERE name = @name
          AND leader_id = @leader_id
        """;

    private const string JobTypeUpsertSql = """
        INSERT INTO job_types (name, description, queue, payload_schema, max_attempts, timeout_seconds, bulk, items_field, display, updated_at)
        VALUES (@name, @description, @queue, @payload_schema, @max_attempts, @timeout_seconds, @bulk, @items_field, @display, now())
        ON CONFLICT (name) DO UPDATE
        SET description = excluded.description,
            queue = excluded.queue,
            payload_schema = excluded.payload_schema,
            max_attempts = excluded.max_attempts,
            timeout_seconds = excluded.timeout_seconds,
            bulk = excluded.bulk,
            items_field = excluded.items_field,
            display = excluded.display,
            updated_at = now()
        """;

    private const string JobTypeListSql = """
        SELECT name, description, queue, payload_schema, max_attempts, timeout_seconds, bulk, items_field, display
        FROM job_types
        ORDER BY name
        """;

    public async Task WorkerHeartbeatAsync(WorkerInfo worker, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkerHeartbeatSql);
        command.Parameters.AddWithValue("id", worker.Id);
        command.Parameters.AddWithValue("host", worker.Host);
        command.Parameters.AddWithValue("queues", worker.Queues);
        command.Parameters.AddWithValue("slots", worker.Slots);
        command.Parameters.AddWithValue("started_at", worker.StartedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task WorkerDeleteAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkerDeleteSql);
        command.Parameters.AddWithValue("id", workerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WorkerInfo>> WorkerListLiveAsync(TimeSpan liveWithin, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkerListLiveSql);
        command.Parameters.AddWithValue("live_within", liveWithin);
        var workers = new List<WorkerInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            workers.Add(new WorkerInfo(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<string[]>(2),
                reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return workers;
    }

    public async Task<int> WorkerDeleteDeadAsync(TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkerDeleteDeadSql);
        command.Parameters.AddWithValue("dead_after", deadAfter);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<LeaderTerm?> LeaderAttemptElectAsync(string name, string leaderId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LeaderAttemptElectSql);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("leader_id", leaderId);
        command.Parameters.AddWithValue("ttl", ttl);
        return await command.ExecuteScalarAsync(cancellationToken) is long term ? new LeaderTerm(name, leaderId, term) : null;
    }

    public async Task LeaderResignAsync(string name, string leaderId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LeaderResignSql);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("leader_id", leaderId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task JobTypeUpsertManyAsync(IReadOnlyList<JobTypeDefinition> definitions, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var definition in definitions)
        {
            var command = new NpgsqlBatchCommand(JobTypeUpsertSql);
            command.Parameters.AddWithValue("name", definition.Name);
            command.Parameters.AddWithValue("description", definition.Description);
            command.Parameters.AddWithValue("queue", definition.Queue);
            command.Parameters.Add(new NpgsqlParameter("payload_schema", NpgsqlDbType.Jsonb) { Value = definition.PayloadSchema.ToJsonString() });
            command.Parameters.AddWithValue("max_attempts", definition.MaxAttempts);
            command.Parameters.AddWithValue("timeout_seconds", definition.TimeoutSeconds);
            command.Parameters.AddWithValue("bulk", definition.Bulk);
            command.Parameters.Add(new NpgsqlParameter("items_field", NpgsqlDbType.Text) { Value = (object?)definition.ItemsField ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("display", NpgsqlDbType.Jsonb)
            {
                Value = definition.Display is null ? DBNull.Value : JsonSerializer.Serialize(definition.Display, JsonSerializerOptions.Web),
            });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<JobTypeDefinition>> JobTypeListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobTypeListSql);
        var definitions = new List<JobTypeDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            definitions.Add(new JobTypeDefinition(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                JsonNode.Parse(reader.GetString(3))!.AsObject(),
                reader.GetInt32(4),
                reader.GetInt32(5))
            {
                Bulk = reader.GetBoolean(6),
                ItemsField = reader.IsDBNull(7) ? null : reader.GetString(7),
                Display = reader.IsDBNull(8) ? null : JsonSerializer.Deserialize<JobTypeDisplay>(reader.GetString(8), JsonSerializerOptions.Web),
            });
        }

        return definitions;
    }

    public async Task<byte[]> PlatformSecretGetOrCreateAsync(string name, byte[] candidate, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var command = dataSource.CreateCommand(PlatformSecretGetOrCreateSql);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("value", candidate);
            if (await command.ExecuteScalarAsync(cancellationToken) is byte[] value)
            {
                return value;
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException($"The platform secret {name} is neither stored nor storable.");
            }
        }
    }
}
