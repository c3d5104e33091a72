using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Identity;

/// <summary>The audit trail: written inside the transaction of each change it records, and read by admins.</summary>
public sealed partial class NpgsqlWorkspaceStore
{
    // The emails are copied from the rows as they are now, so that the entry reads the same after they change.
    private const string AuditInsertSql = """
        INSERT INTO audit_events (workspace_id, action, actor_user_id, actor_email, actor_api_key_id, target_user_id, target_email, details)
        SELECT @workspace_id, @action, a.id, a.email, @actor_api_key_id, t.id, t.email, @details
        FROM (VALUES (1)) AS one (n)
        LEFT JOIN users a ON a.id = @actor_user_id
        LEFT JOIN users t ON t.id = @target_user_id
        """;

    private const string AuditEventListSql = """
        SELECT id, action, actor_user_id, actor_email, actor_api_key_id, target_user_id, target_email, details, created_at
        FROM audit_events
        WHERE workspace_id = @workspace_id
          AND (@before::bigint IS NULL OR id < @before)
        ORDER BY id DESC
        LIMIT @limit
        """;

    public async Task<IReadOnlyList<AuditEvent>> AuditEventListAsync(Guid workspaceId, int limit, long? before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AuditEventListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)before ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<AuditEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new AuditEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                JsonDocument.Parse(reader.GetString(7)).RootElement.Clone(),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return events;
    }

    /// <summary>Records <paramref name="action"/> by <paramref name="actor"/> on <paramref name="targetUserId"/>, in the change's transaction.</summary>
    private static async Task AuditAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Guid workspaceId,
        string action,
        Caller? actor,
        Guid? targetUserId,
        object? details,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AuditInsertSql, connection, transaction);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.Add(new NpgsqlParameter("actor_user_id", NpgsqlDbType.Uuid) { Value = (object?)actor?.UserId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("actor_api_key_id", NpgsqlDbType.Uuid) { Value = (object?)actor?.ApiKeyId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("target_user_id", NpgsqlDbType.Uuid) { Value = (object?)targetUserId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(details ?? new { }, JsonSerializerOptions.Web) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
