using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Identity;

/// <summary>Taking access away: removing users and ending their sessions (passwords: NpgsqlWorkspaceStore.Passwords.cs). Each change is audited.</summary>
public sealed partial class NpgsqlWorkspaceStore
{
    // The row stays for the jobs, keys and timeline entries that name it; the address is free to invite again.
    private const string UserRemoveSql = """
        UPDATE users
        SET removed_at = now(),
            password_hash = NULL
        WHERE id = @id
          AND workspace_id = @workspace_id
          AND removed_at IS NULL
        """;

    // Named keys and sessions alike; expired ones too, so that nothing of a removed user is left unrevoked.
    private const string UserKeysRevokeSql = """
        UPDATE api_keys
        SET revoked_at = now()
        WHERE user_id = @id
          AND revoked_at IS NULL
        RETURNING key_hash
        """;

    private const string PasswordResetsRetireSql = """
        UPDATE password_resets
        SET expires_at = least(expires_at, now())
        WHERE user_id = @user_id
          AND used_at IS NULL
        """;

    // The user with their live sessions (none: one row of NULLs); no row at all when the workspace has no such user.
    private const string UserSessionListSql = """
        SELECT k.id, k.prefix, k.created_at, k.last_used_at, k.expires_at
        FROM users u
        LEFT JOIN api_keys k ON k.user_id = u.id
                            AND k.kind = 'session'
                            AND k.revoked_at IS NULL
                            AND k.expires_at > now()
        WHERE u.id = @user_id
          AND u.workspace_id = @workspace_id
          AND u.removed_at IS NULL
        ORDER BY k.created_at DESC
        """;

    private const string UserExistsSql = """
        SELECT EXISTS (
            SELECT 1
            FROM users
            WHERE id = @user_id
              AND workspace_id = @workspace_id
              AND removed_at IS NULL)
        """;

    private const string UserSessionRevokeSql = """
        UPDATE api_keys
        SET revoked_at = now()
        WHERE user_id = @user_id
          AND workspace_id = @workspace_id
          AND kind = 'session'
          AND revoked_at IS NULL
          AND expires_at > now()
          AND (@session_id::uuid IS NULL OR id = @session_id)
        RETURNING key_hash
        """;

    public async Task<UserRemoveResult> UserRemoveAsync(Caller actor, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Takes turns with role changes on the workspace's row, so that the last-admin check holds against them too.
        await ExecuteAsync(connection, transaction, WorkspaceLockSql, cancellationToken, ("workspace_id", actor.WorkspaceId));
        var user = await WorkspaceUserGetAsync(connection, transaction, actor.WorkspaceId, userId, cancellationToken);
        if (user is null)
        {
            return new UserRemoveResult(UserRemoveOutcome.NotFound, []);
        }

        if (user.Role == WorkspaceRoles.Admin && !user.InvitationPending && await OtherAdminsCountAsync(connection, transaction, actor.WorkspaceId, userId, cancellationToken) == 0)
        {
            return new UserRemoveResult(UserRemoveOutcome.LastAdmin, []);
        }

        await ExecuteAsync(connection, transaction, UserRemoveSql, cancellationToken, ("id", userId), ("workspace_id", actor.WorkspaceId));
        var hashes = await ReadHashesAsync(connection, transaction, UserKeysRevokeSql, cancellationToken, ("id", userId));
        await ExecuteAsync(connection, transaction, InvitationsSupersedeSql, cancellationToken, ("user_id", userId));
        await ExecuteAsync(connection, transaction, PasswordResetsRetireSql, cancellationToken, ("user_id", userId));
        var outcome = user.InvitationPending ? UserRemoveOutcome.InvitationCancelled : UserRemoveOutcome.Removed;
        await AuditAsync(connection, transaction, actor.WorkspaceId,
            outcome == UserRemoveOutcome.Removed ? AuditActions.UserRemoved : AuditActions.InvitationCancelled,
            actor, userId, new { role = user.Role, revokedKeys = hashes.Count }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UserRemoveResult(outcome, hashes);
    }

    public async Task<IReadOnlyList<UserSession>?> UserSessionListAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UserSessionListSql);
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<UserSession>? sessions = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions ??= [];
            if (!reader.IsDBNull(0))
            {
                sessions.Add(new UserSession(
                    reader.GetGuid(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        return sessions;
    }

    public async Task<IReadOnlyList<byte[]>?> UserSessionRevokeAsync(Caller actor, Guid userId, Guid? sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand(UserExistsSql, connection, transaction))
        {
            exists.Parameters.AddWithValue("user_id", userId);
            exists.Parameters.AddWithValue("workspace_id", actor.WorkspaceId);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }

        var hashes = await ReadHashesAsync(connection, transaction, UserSessionRevokeSql, cancellationToken,
            ("user_id", userId), ("workspace_id", actor.WorkspaceId), ("session_id", (object?)sessionId ?? DBNull.Value));
        if (hashes.Count > 0)
        {
            await AuditAsync(connection, transaction, actor.WorkspaceId, AuditActions.SessionsRevoked, actor, userId,
                new { sessions = hashes.Count, sessionId }, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return hashes;
    }

    private static async Task<long> OtherAdminsCountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        await using var count = new NpgsqlCommand(OtherAdminsCountSql, connection, transaction);
        count.Parameters.AddWithValue("workspace_id", workspaceId);
        count.Parameters.AddWithValue("id", userId);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<List<byte[]>> ReadHashesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value is DBNull ? new NpgsqlParameter(name, NpgsqlDbType.Uuid) { Value = value } : new NpgsqlParameter(name, value));
        }

        var hashes = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hashes.Add(reader.GetFieldValue<byte[]>(0));
        }

        return hashes;
    }
}
