using Npgsql;

namespace Jobs.Core.Workspaces;

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

    // coalesce keeps the first revocation's time, so that revoking twice answers like once and changes nothing.
    private const string ApiKeyRevokeByIdSql = """
        UPDATE api_keys
        SET revoked_at = coalesce(revoked_at, now())
        WHERE id = @id
          AND workspace_id = @workspace_id
          AND kind = 'key'
        RETURNING key_hash
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
        await using var command = dataSource.CreateCommand(ApiKeyCreateSql);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("workspace_id", caller.WorkspaceId);
        command.Parameters.AddWithValue("user_id", caller.UserId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("key_hash", ApiKeyHasher.Hash(key));
        command.Parameters.AddWithValue("prefix", ApiKeyHasher.PrefixOf(key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The new API key was not returned.");
        }

        return new NewApiKey(ReadApiKey(reader), key);
    }

    public async Task<byte[]?> ApiKeyRevokeByIdAsync(Guid workspaceId, Guid keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ApiKeyRevokeByIdSql);
        command.Parameters.AddWithValue("id", keyId);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
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
