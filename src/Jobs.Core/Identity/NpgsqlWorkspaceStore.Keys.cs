using Npgsql;

namespace Jobs.Core.Identity;

/// <summary>Named API keys: list, create, revoke, and the last-used time.</summary>
public sealed partial class NpgsqlWorkspaceStore
{
    private const string ApiKeyListSql = """
        SELECT k.id, k.name, k.prefix, k.created_at, k.last_used_at, k.revoked_at, k.user_id, u.email
        FROM api_keys k
        JOIN users u ON u.id = k.user_id
        WHERE k.workspace_id = @workspace_id
          AND k.kind = 'key'
        ORDER BY k.created_at DESC, k.id DESC
        """;

    private const string ApiKeyCreateSql = """
        WITH created AS (
            INSERT INTO api_keys (id, workspace_id, user_id, name, key_hash, kind, prefix)
            VALUES (@id, @workspace_id, @user_id, @name, @key_hash, 'key', @prefix)
            RETURNING id, name, prefix, created_at, last_used_at, revoked_at, user_id
        )
        SELECT c.id, c.name, c.prefix, c.created_at, c.last_used_at, c.revoked_at, c.user_id, u.email
        FROM created c
        JOIN users u ON u.id = c.user_id
        """;

    // coalesce keeps the first revocation's time, so that revoking twice answers like once and changes nothing; only
    // the first revocation is audited (the row as it was before is read in the same statement, locked).
    private const string ApiKeyRevokeByIdSql = """
        WITH before AS (
            SELECT id, revoked_at, name, prefix
            FROM api_keys
            WHERE id = @id
              AND workspace_id = @workspace_id
              AND kind = 'key'
            FOR UPDATE
        ),
        revoked AS (
            UPDATE api_keys k
            SET revoked_at = coalesce(k.revoked_at, now())
            FROM before
            WHERE k.id = before.id
            RETURNING k.key_hash
        ),
        audit AS (
            INSERT INTO audit_events (workspace_id, action, actor_user_id, actor_email, actor_api_key_id, details)
            SELECT @workspace_id, 'api_key.revoked', a.id, a.email, @actor_api_key_id,
                   jsonb_build_object('apiKeyId', before.id, 'name', before.name, 'prefix', before.prefix)
            FROM before
            LEFT JOIN users a ON a.id = @actor_user_id
            WHERE before.revoked_at IS NULL
        )
        SELECT key_hash
        FROM revoked
        """;

    // Conditional, so that many instances and requests write a key's row at most once a minute between them.
    private const string ApiKeyTouchSql = """
        UPDATE api_keys
        SET last_used_at = now()
        WHERE id = @id
          AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
        """;

    public async Task<IReadOnlyList<ApiKeyInfo>> ApiKeyListAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ApiKeyListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(ReadApiKey(reader));
        }

        return keys;
    }

    public async Task<NewApiKey> ApiKeyCreateAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var key = ApiKeyHasher.NewKey();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        ApiKeyInfo created;
        await using (var command = new NpgsqlCommand(ApiKeyCreateSql, connection, transaction))
        {
            AddApiKeyCreateParameters(command, caller, name, key);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("The new API key was not returned.");
            }

            created = ReadApiKey(reader);
        }

        await AuditAsync(connection, transaction, caller.WorkspaceId, AuditActions.ApiKeyCreated, caller, null,
            new { apiKeyId = created.Id, name = created.Name, prefix = created.Prefix }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new NewApiKey(created, key);
    }

    private static void AddApiKeyCreateParameters(NpgsqlCommand command, Caller caller, string name, string key)
    {
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("workspace_id", caller.WorkspaceId);
        command.Parameters.AddWithValue("user_id", caller.UserId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("key_hash", ApiKeyHasher.Hash(key));
        command.Parameters.AddWithValue("prefix", ApiKeyHasher.PrefixOf(key));
    }

    public async Task<byte[]?> ApiKeyRevokeByIdAsync(Caller actor, Guid keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ApiKeyRevokeByIdSql);
        command.Parameters.AddWithValue("id", keyId);
        command.Parameters.AddWithValue("workspace_id", actor.WorkspaceId);
        command.Parameters.AddWithValue("actor_user_id", actor.UserId);
        command.Parameters.Add(new NpgsqlParameter("actor_api_key_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)actor.ApiKeyId ?? DBNull.Value });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public async Task ApiKeyTouchAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ApiKeyTouchSql);
        command.Parameters.AddWithValue("id", keyId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ApiKeyInfo ReadApiKey(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.GetGuid(6),
        reader.GetString(7));
}
