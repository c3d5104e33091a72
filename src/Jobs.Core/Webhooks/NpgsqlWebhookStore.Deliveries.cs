using Jobs.Contracts.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Webhooks;

/// <summary>Deliveries: the log an admin reads, redelivery, and the workers' claim and record (docs/design.md, "Webhooks").</summary>
public sealed partial class NpgsqlWebhookStore
{
    private const string DeliveryColumns = "d.id, d.endpoint_id, d.event, d.job_id, d.status, d.attempts, d.next_attempt_at, d.created_at, d.completed_at";

    private const string EndpointExistsSql = "SELECT count(*) FROM webhook_endpoints WHERE id = @endpoint_id AND workspace_id = @workspace_id";

    private const string DeliveryListSql = $"""
        SELECT {DeliveryColumns}
        FROM webhook_deliveries d
        WHERE d.endpoint_id = @endpoint_id
          AND d.workspace_id = @workspace_id
          AND (@before::uuid IS NULL OR d.id < @before)
        ORDER BY d.id DESC
        LIMIT @limit
        """;

    private const string AttemptListSql = """
        SELECT delivery_id, attempt, started_at, duration_ms, status_code, error, response_body
        FROM webhook_attempts
        WHERE delivery_id = ANY (@ids)
        ORDER BY delivery_id, attempt
        """;

    private const string DeliveryRedeliverSql = $"""
        UPDATE webhook_deliveries d
        SET status = 'pending', next_attempt_at = now(), completed_at = NULL
        WHERE d.id = @id
          AND d.endpoint_id = @endpoint_id
          AND d.workspace_id = @workspace_id
        RETURNING {DeliveryColumns}
        """;

    // Deliveries of disabled endpoints wait, pending, until the endpoint is enabled again. The claim is the attempt's
    // fence: its outcome is written only while the delivery is still at this attempt.
    private const string DispatchClaimSql = """
        WITH due AS (
            SELECT d.id
            FROM webhook_deliveries d
            JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE d.status = 'pending'
              AND d.next_attempt_at <= now()
              AND e.enabled
            ORDER BY d.next_attempt_at
            LIMIT @limit
            FOR UPDATE OF d SKIP LOCKED
        )
        UPDATE webhook_deliveries d
        SET attempts = d.attempts + 1,
            next_attempt_at = now() + @lease
        FROM due, webhook_endpoints e
        WHERE d.id = due.id
          AND e.id = d.endpoint_id
        RETURNING d.id, d.endpoint_id, d.workspace_id, e.url, d.payload::text, d.attempts, e.secret,
                  CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END
        """;

    private const string DispatchRecordSql = """
        WITH delivery AS (
            UPDATE webhook_deliveries
            SET status = @status,
                next_attempt_at = @next_attempt_at,
                completed_at = CASE WHEN @status = 'pending' THEN NULL ELSE now() END
            WHERE id = @id
              AND attempts = @attempt
              AND status = 'pending'
            RETURNING id, endpoint_id
        ),
        attempt AS (
            INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, response_body)
            SELECT id, @attempt, @started_at, @duration_ms, @status_code, @error, @response_body
            FROM delivery
            ON CONFLICT DO NOTHING
        )
        UPDATE webhook_endpoints e
        SET consecutive_failures = CASE WHEN @succeeded THEN 0 ELSE e.consecutive_failures + 1 END,
            failing_since = CASE WHEN @succeeded THEN NULL ELSE coalesce(e.failing_since, @started_at) END
        FROM delivery
        WHERE e.id = delivery.endpoint_id
        RETURNING e.consecutive_failures, e.failing_since, e.enabled
        """;

    private const string DeliveryDeleteFinishedSql = """
        DELETE FROM webhook_deliveries
        WHERE id IN (
            SELECT id
            FROM webhook_deliveries
            WHERE status <> 'pending'
              AND completed_at < @ended_before
            LIMIT @limit
        )
        """;

    public async Task<IReadOnlyList<WebhookDelivery>?> DeliveryListAsync(Guid workspaceId, Guid endpointId, int limit, Guid? before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand(EndpointExistsSql, connection))
        {
            exists.Parameters.AddWithValue("endpoint_id", endpointId);
            exists.Parameters.AddWithValue("workspace_id", workspaceId);
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return null;
            }
        }

        await using var command = new NpgsqlCommand(DeliveryListSql, connection);
        command.Parameters.AddWithValue("endpoint_id", endpointId);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Uuid) { Value = (object?)before ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        return await ReadDeliveriesAsync(connection, command, cancellationToken);
    }

    public async Task<WebhookDelivery?> DeliveryRedeliverAsync(Guid workspaceId, Guid endpointId, Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(DeliveryRedeliverSql, connection);
        command.Parameters.AddWithValue("id", deliveryId);
        command.Parameters.AddWithValue("endpoint_id", endpointId);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        return (await ReadDeliveriesAsync(connection, command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<WebhookDispatch>> DispatchClaimAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DispatchClaimSql);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("lease", lease);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<WebhookDispatch>();
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new WebhookDispatch(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetGuid(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt32(5),
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return claimed;
    }

    public async Task<WebhookEndpointHealth?> DispatchRecordAsync(WebhookDispatch dispatch, WebhookAttemptOutcome outcome, CancellationToken cancellationToken)
    {
        var status = outcome.Succeeded ? WebhookDeliveryStatuses.Succeeded
            : outcome.NextAttemptAt is null ? WebhookDeliveryStatuses.Failed
            : WebhookDeliveryStatuses.Pending;
        await using var command = dataSource.CreateCommand(DispatchRecordSql);
        command.Parameters.AddWithValue("id", dispatch.DeliveryId);
        command.Parameters.AddWithValue("attempt", dispatch.Attempt);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(new NpgsqlParameter("next_attempt_at", NpgsqlDbType.TimestampTz)
        {
            Value = status == WebhookDeliveryStatuses.Pending ? outcome.NextAttemptAt!.Value : DBNull.Value,
        });
        command.Parameters.AddWithValue("started_at", outcome.StartedAt);
        command.Parameters.AddWithValue("duration_ms", outcome.DurationMs);
        command.Parameters.Add(new NpgsqlParameter("status_code", NpgsqlDbType.Integer) { Value = (object?)outcome.StatusCode ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)outcome.Error ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("response_body", NpgsqlDbType.Text) { Value = (object?)outcome.ResponseBody ?? DBNull.Value });
        command.Parameters.AddWithValue("succeeded", outcome.Succeeded);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new WebhookEndpointHealth(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2))
            : null;
    }

    public async Task<int> DeliveryDeleteFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeliveryDeleteFinishedSql);
        command.Parameters.AddWithValue("ended_before", endedBefore);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<WebhookDelivery>> ReadDeliveriesAsync(NpgsqlConnection connection, NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<WebhookDelivery>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new WebhookDelivery(
                    reader.GetGuid(0),
                    reader.GetGuid(1),
                    reader.GetString(2),
                    reader.GetGuid(3),
                    reader.GetString(4),
                    reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                    reader.GetFieldValue<DateTimeOffset>(7),
                    reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                    []));
            }
        }

        if (rows.Count == 0)
        {
            return rows;
        }

        await using var attempts = new NpgsqlCommand(AttemptListSql, connection);
        attempts.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        var byDelivery = new Dictionary<Guid, List<WebhookAttempt>>();
        await using (var reader = await attempts.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                if (!byDelivery.TryGetValue(id, out var list))
                {
                    byDelivery[id] = list = [];
                }

                list.Add(new WebhookAttempt(
                    reader.GetInt32(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }

        return [.. rows.Select(r => byDelivery.TryGetValue(r.Id, out var list) ? r with { AttemptLog = list } : r)];
    }
}
