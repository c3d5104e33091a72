using Jobs.Core.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Webhooks;

/// <summary>The one <see cref="IWebhookStore"/> implementation: endpoints here, deliveries in the other part.</summary>
public sealed partial class NpgsqlWebhookStore(NpgsqlDataSource dataSource) : IWebhookStore
{
    // The secrets are in none of these columns: an endpoint read for an answer cannot leak them.
    private const string EndpointColumns = """
        id, url, description, events, job_types, enabled, disabled_reason, disabled_at, consecutive_failures, failing_since,
        CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END, created_at, updated_at
        """;

    private const string EndpointListSql = $"""
        SELECT {EndpointColumns}
        FROM webhook_endpoints
        WHERE workspace_id = @workspace_id
        ORDER BY created_at, id
        """;

    private const string EndpointGetSql = $"""
        SELECT {EndpointColumns}
        FROM webhook_endpoints
        WHERE id = @id
          AND workspace_id = @workspace_id
        """;

    // An admin's change, in the same statement as the change (s: the changed rows, with id and url).
    private const string CallerAuditSql = """
        audit AS (
            INSERT INTO audit_events (workspace_id, action, actor_user_id, actor_email, actor_api_key_id, details)
            SELECT @workspace_id, @action, a.id, a.email, @actor_api_key_id, jsonb_build_object('webhookId', s.id, 'url', s.url)
            FROM s
            LEFT JOIN users a ON a.id = @actor_user_id
        )
        """;

    // The workspace row is locked (NO KEY UPDATE: submits' foreign-key locks still pass) so that two creates cannot
    // both see room for one more endpoint.
    private const string EndpointCreateSql = $"""
        WITH ws AS (
            SELECT id FROM workspaces WHERE id = @workspace_id FOR NO KEY UPDATE
        ),
        s AS (
            INSERT INTO webhook_endpoints (id, workspace_id, url, description, events, job_types, secret)
            SELECT @id, ws.id, @url, @description, @events, @job_types, @secret
            FROM ws
            WHERE (SELECT count(*) FROM webhook_endpoints WHERE workspace_id = @workspace_id) < @max
            RETURNING {EndpointColumns}
        ),
        {CallerAuditSql}
        SELECT * FROM s
        """;

    // Enabling clears the reason and the failure streak; disabling an enabled endpoint records the admin as the reason.
    private const string EndpointUpdateSql = $"""
        WITH s AS (
            UPDATE webhook_endpoints
            SET url = coalesce(@url, url),
                description = CASE WHEN @description::text IS NULL THEN description ELSE nullif(@description, '') END,
                events = coalesce(@events, events),
                job_types = CASE WHEN @job_types::text[] IS NULL THEN job_types
                                 WHEN cardinality(@job_types) = 0 THEN NULL
                                 ELSE @job_types END,
                enabled = coalesce(@enabled, enabled),
                disabled_reason = CASE WHEN @enabled IS NULL THEN disabled_reason
                                       WHEN @enabled THEN NULL
                                       WHEN enabled THEN 'Disabled by an admin.'
                                       ELSE disabled_reason END,
                disabled_at = CASE WHEN @enabled IS NULL THEN disabled_at
                                   WHEN @enabled THEN NULL
                                   WHEN enabled THEN now()
                                   ELSE disabled_at END,
                consecutive_failures = CASE WHEN @enabled AND NOT enabled THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN @enabled AND NOT enabled THEN NULL ELSE failing_since END,
                updated_at = now()
            WHERE id = @id
              AND workspace_id = @workspace_id
            RETURNING {EndpointColumns}
        ),
        {CallerAuditSql}
        SELECT * FROM s
        """;

    private const string EndpointDeleteSql = $"""
        WITH s AS (
            DELETE FROM webhook_endpoints
            WHERE id = @id
              AND workspace_id = @workspace_id
            RETURNING id, url
        ),
        {CallerAuditSql}
        SELECT count(*) FROM s
        """;

    private const string EndpointRotateSql = $"""
        WITH s AS (
            UPDATE webhook_endpoints
            SET previous_secret = secret,
                previous_secret_expires_at = now() + @overlap,
                secret = @secret,
                updated_at = now()
            WHERE id = @id
              AND workspace_id = @workspace_id
            RETURNING {EndpointColumns}
        ),
        {CallerAuditSql}
        SELECT * FROM s
        """;

    private const string EndpointDisableSql = $"""
        WITH disabled AS (
            UPDATE webhook_endpoints
            SET enabled = false, disabled_reason = @reason, disabled_at = now(), updated_at = now()
            WHERE id = @id
              AND enabled
            RETURNING id, workspace_id, url
        ),
        audit AS (
            INSERT INTO audit_events (workspace_id, action, details)
            SELECT workspace_id, '{AuditActions.WebhookDisabled}', jsonb_build_object('webhookId', id, 'url', url, 'reason', @reason)
            FROM disabled
        )
        SELECT count(*) FROM disabled
        """;

    public async Task<IReadOnlyList<WebhookEndpoint>> EndpointListAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(EndpointListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        return await ReadEndpointsAsync(command, cancellationToken);
    }

    public async Task<WebhookEndpoint?> EndpointGetAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(EndpointGetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", id);
        return (await ReadEndpointsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<WebhookEndpointWithSecret> EndpointCreateAsync(Caller caller, WebhookEndpointCreateParams endpoint, int maxEndpoints, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        await using var command = CallerCommand(EndpointCreateSql, caller, AuditActions.WebhookCreated, Guid.CreateVersion7());
        AddFields(command, endpoint.Url, endpoint.Description, endpoint.Events, endpoint.JobTypes);
        command.Parameters.AddWithValue("secret", secret);
        command.Parameters.AddWithValue("max", maxEndpoints);
        var created = (await ReadEndpointsAsync(command, cancellationToken)).SingleOrDefault() ?? throw new WebhookEndpointLimitException(maxEndpoints);
        return new WebhookEndpointWithSecret(created, secret);
    }

    public async Task<WebhookEndpoint?> EndpointUpdateAsync(Caller caller, Guid id, WebhookEndpointUpdateParams changes, CancellationToken cancellationToken)
    {
        await using var command = CallerCommand(EndpointUpdateSql, caller, AuditActions.WebhookUpdated, id);
        AddFields(command, changes.Url, changes.Description, changes.Events, changes.JobTypes);
        command.Parameters.Add(new NpgsqlParameter("enabled", NpgsqlDbType.Boolean) { Value = (object?)changes.Enabled ?? DBNull.Value });
        return (await ReadEndpointsAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<bool> EndpointDeleteAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await using var command = CallerCommand(EndpointDeleteSql, caller, AuditActions.WebhookDeleted, id);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    public async Task<WebhookEndpointWithSecret?> EndpointRotateSecretAsync(Caller caller, Guid id, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        await using var command = CallerCommand(EndpointRotateSql, caller, AuditActions.WebhookSecretRotated, id);
        command.Parameters.AddWithValue("overlap", overlap);
        command.Parameters.AddWithValue("secret", secret);
        return (await ReadEndpointsAsync(command, cancellationToken)).SingleOrDefault() is { } rotated ? new WebhookEndpointWithSecret(rotated, secret) : null;
    }

    public async Task<bool> EndpointDisableAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(EndpointDisableSql);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("reason", reason);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    private NpgsqlCommand CallerCommand(string sql, Caller caller, string action, Guid id)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("workspace_id", caller.WorkspaceId);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.AddWithValue("actor_user_id", caller.UserId);
        command.Parameters.Add(new NpgsqlParameter("actor_api_key_id", NpgsqlDbType.Uuid) { Value = (object?)caller.ApiKeyId ?? DBNull.Value });
        return command;
    }

    // An endpoint's fields as parameters; null is SQL NULL (on an update: unchanged).
    private static void AddFields(NpgsqlCommand command, string? url, string? description, IReadOnlyList<string>? events, IReadOnlyList<string>? jobTypes)
    {
        command.Parameters.Add(new NpgsqlParameter("url", NpgsqlDbType.Text) { Value = (object?)url ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("description", NpgsqlDbType.Text) { Value = (object?)description ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("events", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)events?.ToArray() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("job_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)jobTypes?.ToArray() ?? DBNull.Value });
    }

    private static async Task<List<WebhookEndpoint>> ReadEndpointsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var endpoints = new List<WebhookEndpoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            endpoints.Add(new WebhookEndpoint(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<string[]>(4),
                reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.GetFieldValue<DateTimeOffset>(11),
                reader.GetFieldValue<DateTimeOffset>(12)));
        }

        return endpoints;
    }
}
