using Npgsql;

namespace Jobs.Core.Identity;

/// <summary>The one <see cref="IWorkspaceStore"/> implementation.</summary>
public sealed partial class NpgsqlWorkspaceStore(NpgsqlDataSource dataSource) : IWorkspaceStore
{
    // A working key's caller: not revoked, not expired, its user not removed. Followed by the key's condition.
    private const string ApiKeyCallerSql = """
        SELECT k.workspace_id, k.user_id, u.role, k.id, k.kind, k.expires_at, k.key_hash
        FROM api_keys k
        JOIN users u ON u.id = k.user_id
        WHERE k.revoked_at IS NULL
          AND (k.expires_at IS NULL OR k.expires_at > now())
          AND u.removed_at IS NULL
        """;

    private const string ApiKeyFindCallerSql = ApiKeyCallerSql + " AND k.key_hash = @key_hash";

    private const string ApiKeyFindCallerByIdSql = ApiKeyCallerSql + " AND k.id = @id";

    // A person's accounts, the one they signed in to last first: sign-in lands there.
    private const string UserListByEmailSql = """
        SELECT u.id, u.workspace_id, u.email, u.display_name, u.password_hash, w.name, u.role
        FROM users u
        JOIN workspaces w ON w.id = u.workspace_id
        WHERE lower(u.email) = lower(@email)
          AND u.password_hash IS NOT NULL
          AND u.removed_at IS NULL
        ORDER BY (SELECT max(k.created_at) FROM api_keys k WHERE k.user_id = u.id AND k.kind = 'session') DESC NULLS LAST,
                 u.created_at,
                 u.id
        LIMIT 100
        """;

    // The accounts of the same person: the same email and the same password, so the same hash string.
    private const string UserLinkedListSql = """
        SELECT o.id, o.workspace_id, w.name, o.role
        FROM users u
        JOIN users o ON lower(o.email) = lower(u.email)
                    AND o.password_hash = u.password_hash
                    AND o.removed_at IS NULL
        JOIN workspaces w ON w.id = o.workspace_id
        WHERE u.id = @id
          AND u.removed_at IS NULL
        ORDER BY w.name, o.workspace_id
        """;

    private const string UserGetSql = """
        SELECT u.id, u.workspace_id, u.email, u.display_name, u.password_hash, w.name, u.role
        FROM users u
        JOIN workspaces w ON w.id = u.workspace_id
        WHERE u.id = @id
          AND u.removed_at IS NULL
        """;

    private const string SessionCreateSql = """
        INSERT INTO api_keys (id, workspace_id, user_id, name, key_hash, expires_at, kind, prefix)
        VALUES (@id, @workspace_id, @user_id, 'web session', @key_hash, now() + @lifetime, 'session', @prefix)
        """;

    // One statement: the session switched from ends as its successor starts, and a session switches once.
    private const string SessionSwitchSql = """
        WITH ended AS (
            UPDATE api_keys
            SET revoked_at = now()
            WHERE key_hash = @old_key_hash
              AND kind = 'session'
              AND revoked_at IS NULL
              AND (expires_at IS NULL OR expires_at > now())
            RETURNING id
        )
        INSERT INTO api_keys (id, workspace_id, user_id, name, key_hash, expires_at, kind, prefix)
        SELECT @id, @workspace_id, @user_id, 'web session', @key_hash, now() + @lifetime, 'session', @prefix
        FROM ended
        """;

    private const string ApiKeyRevokeSql = """
        UPDATE api_keys
        SET revoked_at = now()
        WHERE key_hash = @key_hash
          AND revoked_at IS NULL
        """;

    private const string UserSetPasswordSql = """
        UPDATE users
        SET password_hash = @password_hash
        WHERE id = @id
        """;

    private const string WorkspaceGetSql = """
        SELECT id, name, max_concurrent_jobs, max_batch_items, bulk_jobs_per_hour, requests_per_minute,
               subscribe_batch_size, subscribe_batch_pause_ms
        FROM workspaces
        WHERE id = @id
        """;

    // Limits are set when the workspace is made and then belong to its admins; keys are added, never replaced.
    private const string WorkspaceEnsureSql = """
        INSERT INTO workspaces (id, name, max_concurrent_jobs, max_batch_items)
        VALUES (@workspace_id, @workspace_name, @max_concurrent_jobs, @max_batch_items)
        ON CONFLICT (id) DO UPDATE
        SET name = excluded.name;

        INSERT INTO users (id, workspace_id, email, display_name, role)
        VALUES (@user_id, @workspace_id, @email, @display_name, @role)
        ON CONFLICT (id) DO UPDATE
        SET email = excluded.email,
            display_name = excluded.display_name,
            role = excluded.role;

        INSERT INTO api_keys (id, workspace_id, user_id, name, key_hash, prefix)
        VALUES (@key_id, @workspace_id, @user_id, 'seeded', @key_hash, @prefix)
        ON CONFLICT (key_hash) DO NOTHING;
        """;

    public async Task<Caller?> ApiKeyFindCallerAsync(string apiKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ApiKeyFindCallerSql);
        command.Parameters.AddWithValue("key_hash", ApiKeyHasher.Hash(apiKey));
        return (await ReadKeyCallerAsync(command, cancellationToken))?.Caller;
    }

    public async Task<(Caller Caller, byte[] KeyHash)?> ApiKeyFindCallerByIdAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ApiKeyFindCallerByIdSql);
        command.Parameters.AddWithValue("id", keyId);
        return await ReadKeyCallerAsync(command, cancellationToken);
    }

    private static async Task<(Caller Caller, byte[] KeyHash)?> ReadKeyCallerAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (new Caller(reader.GetGuid(0), reader.GetGuid(1))
            {
                Role = reader.GetString(2),
                ApiKeyId = reader.GetGuid(3),
                ApiKeyKind = reader.GetString(4),
                ApiKeyExpiresAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            }, reader.GetFieldValue<byte[]>(6))
            : null;
    }

    public async Task<IReadOnlyList<UserAccount>> UserListByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UserListByEmailSql);
        command.Parameters.AddWithValue("email", email);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<UserAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(ReadUser(reader));
        }

        return accounts;
    }

    public async Task<IReadOnlyList<WorkspaceMembership>> UserLinkedListAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UserLinkedListSql);
        command.Parameters.AddWithValue("id", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var memberships = new List<WorkspaceMembership>();
        while (await reader.ReadAsync(cancellationToken))
        {
            memberships.Add(new WorkspaceMembership(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3)));
        }

        return memberships;
    }

    public async Task<UserAccount?> UserGetAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UserGetSql);
        command.Parameters.AddWithValue("id", userId);
        return await ReadUserAsync(command, cancellationToken);
    }

    private static async Task<UserAccount?> ReadUserAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    private static UserAccount ReadUser(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)) { Role = reader.GetString(6) };

    public async Task UserSetPasswordHashAsync(Guid userId, string passwordHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UserSetPasswordSql);
        command.Parameters.AddWithValue("id", userId);
        command.Parameters.AddWithValue("password_hash", passwordHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string> SessionCreateAsync(Caller caller, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var key = ApiKeyHasher.NewKey();
        await using var command = dataSource.CreateCommand(SessionCreateSql);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("workspace_id", caller.WorkspaceId);
        command.Parameters.AddWithValue("user_id", caller.UserId);
        command.Parameters.AddWithValue("key_hash", ApiKeyHasher.Hash(key));
        command.Parameters.AddWithValue("lifetime", lifetime);
        command.Parameters.AddWithValue("prefix", ApiKeyHasher.PrefixOf(key));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return key;
    }

    public async Task<string?> SessionSwitchAsync(string currentKey, Caller target, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var key = ApiKeyHasher.NewKey();
        await using var command = dataSource.CreateCommand(SessionSwitchSql);
        command.Parameters.AddWithValue("old_key_hash", ApiKeyHasher.Hash(currentKey));
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("workspace_id", target.WorkspaceId);
        command.Parameters.AddWithValue("user_id", target.UserId);
        command.Parameters.AddWithValue("key_hash", ApiKeyHasher.Hash(key));
        command.Parameters.AddWithValue("lifetime", lifetime);
        command.Parameters.AddWithValue("prefix", ApiKeyHasher.PrefixOf(key));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? key : null;
    }

    public async Task ApiKeyRevokeAsync(string apiKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ApiKeyRevokeSql);
        command.Parameters.AddWithValue("key_hash", ApiKeyHasher.Hash(apiKey));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Workspace?> WorkspaceGetAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkspaceGetSql);
        command.Parameters.AddWithValue("id", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Workspace(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3))
            {
                BulkJobsPerHour = reader.GetInt32(4),
                RequestsPerMinute = reader.GetInt32(5),
                SubscribeBatchSize = reader.GetInt32(6),
                SubscribeBatchPauseMs = reader.GetInt32(7),
            }
            : null;
    }

    public async Task<Caller> WorkspaceEnsureAsync(WorkspaceSeed seed, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WorkspaceEnsureSql);
        command.Parameters.AddWithValue("workspace_id", seed.WorkspaceId);
        command.Parameters.AddWithValue("workspace_name", seed.WorkspaceName);
        command.Parameters.AddWithValue("max_concurrent_jobs", seed.MaxConcurrentJobs);
        command.Parameters.AddWithValue("max_batch_items", seed.MaxBatchItems);
        command.Parameters.AddWithValue("user_id", seed.UserId);
        command.Parameters.AddWithValue("email", seed.Email);
        command.Parameters.AddWithValue("display_name", seed.DisplayName);
        command.Parameters.AddWithValue("key_id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("key_hash", ApiKeyHasher.Hash(seed.ApiKey));
        command.Parameters.AddWithValue("prefix", ApiKeyHasher.PrefixOf(seed.ApiKey));
        command.Parameters.AddWithValue("role", seed.Role);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new Caller(seed.WorkspaceId, seed.UserId) { Role = seed.Role };
    }
}
