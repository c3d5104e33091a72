using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Identity;

/// <summary>Passwords: changing one (every account of the person), and resetting a forgotten one by a one-time token.</summary>
public sealed partial class NpgsqlWorkspaceStore
{
    // Every account of the person that shares the current password (their workspaces), only if it is still current:
    // a change made meanwhile elsewhere wins, and this one changes nothing.
    private const string UserPasswordChangeSql = """
        UPDATE users o
        SET password_hash = @new_hash
        FROM users u
        WHERE u.id = @user_id
          AND u.removed_at IS NULL
          AND lower(o.email) = lower(u.email)
          AND o.password_hash = @current_hash
          AND o.removed_at IS NULL
        RETURNING o.id, o.workspace_id
        """;

    private const string SessionsRevokeExceptSql = """
        UPDATE api_keys
        SET revoked_at = now()
        WHERE user_id = ANY (@user_ids)
          AND kind = 'session'
          AND revoked_at IS NULL
          AND key_hash <> @kept_key_hash
        RETURNING key_hash
        """;

    private const string PasswordResetInsertSql = """
        INSERT INTO password_resets (id, workspace_id, user_id, issued_by, token_hash, expires_at)
        VALUES (@id, @workspace_id, @user_id, @issued_by, @token_hash, @expires_at)
        """;

    private const string PasswordResetEmailGetSql = """
        SELECT u.email
        FROM password_resets r
        JOIN users u ON u.id = r.user_id
        WHERE r.token_hash = @token_hash
          AND r.used_at IS NULL
          AND r.expires_at > now()
          AND u.removed_at IS NULL
        """;

    // Used at most once: two uses of one link cannot both pass, and a removed user's link does nothing.
    private const string PasswordResetUseSql = """
        UPDATE password_resets r
        SET used_at = now()
        FROM users u
        WHERE r.token_hash = @token_hash
          AND r.used_at IS NULL
          AND r.expires_at > now()
          AND u.id = r.user_id
          AND u.removed_at IS NULL
        RETURNING r.user_id, r.workspace_id
        """;

    private const string UserPasswordSetSql = """
        UPDATE users
        SET password_hash = @password_hash
        WHERE id = @id
        """;

    private const string UserSessionsRevokeAllSql = """
        UPDATE api_keys
        SET revoked_at = now()
        WHERE user_id = @id
          AND kind = 'session'
          AND revoked_at IS NULL
        RETURNING key_hash
        """;

    public async Task<IReadOnlyList<byte[]>?> UserPasswordChangeAsync(PasswordChangeParams change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var accounts = new List<(Guid UserId, Guid WorkspaceId)>();
        await using (var update = new NpgsqlCommand(UserPasswordChangeSql, connection, transaction))
        {
            update.Parameters.AddWithValue("user_id", change.Caller.UserId);
            update.Parameters.AddWithValue("current_hash", change.CurrentPasswordHash);
            update.Parameters.AddWithValue("new_hash", change.NewPasswordHash);
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                accounts.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        if (accounts.Count == 0)
        {
            return null;
        }

        var hashes = await ReadHashesAsync(connection, transaction, SessionsRevokeExceptSql, cancellationToken,
            ("user_ids", accounts.Select(a => a.UserId).ToArray()), ("kept_key_hash", change.KeptSessionKeyHash));
        foreach (var (userId, workspaceId) in accounts)
        {
            // Each workspace's trail names its own account of the person, never another workspace's.
            var actor = userId == change.Caller.UserId ? change.Caller : new Caller(workspaceId, userId);
            await AuditAsync(connection, transaction, workspaceId, AuditActions.PasswordChanged, actor, userId, null, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return hashes;
    }

    public async Task<PasswordResetCreateOutcome> PasswordResetCreateAsync(PasswordResetCreateParams reset, CancellationToken cancellationToken)
    {
        var workspaceId = reset.IssuedBy.WorkspaceId;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var user = await WorkspaceUserGetAsync(connection, transaction, workspaceId, reset.UserId, cancellationToken);
        if (user is null)
        {
            return PasswordResetCreateOutcome.NotFound;
        }

        if (user.InvitationPending)
        {
            return PasswordResetCreateOutcome.InvitationPending;
        }

        await ExecuteAsync(connection, transaction, PasswordResetsRetireSql, cancellationToken, ("user_id", reset.UserId));
        await ExecuteAsync(connection, transaction, PasswordResetInsertSql, cancellationToken,
            ("id", Guid.CreateVersion7()),
            ("workspace_id", workspaceId),
            ("user_id", reset.UserId),
            ("issued_by", reset.IssuedBy.UserId),
            ("token_hash", reset.TokenHash),
            ("expires_at", reset.ExpiresAt));
        await AuditAsync(connection, transaction, workspaceId, AuditActions.PasswordResetIssued, reset.IssuedBy, reset.UserId,
            new { expiresAt = reset.ExpiresAt }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return PasswordResetCreateOutcome.Created;
    }

    public async Task<string?> PasswordResetEmailGetAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PasswordResetEmailGetSql);
        command.Parameters.AddWithValue("token_hash", tokenHash);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<PasswordResetUse?> PasswordResetUseAsync(byte[] tokenHash, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Guid userId, workspaceId;
        await using (var use = new NpgsqlCommand(PasswordResetUseSql, connection, transaction))
        {
            use.Parameters.AddWithValue("token_hash", tokenHash);
            await using var reader = await use.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (userId, workspaceId) = (reader.GetGuid(0), reader.GetGuid(1));
        }

        await ExecuteAsync(connection, transaction, UserPasswordSetSql, cancellationToken, ("id", userId), ("password_hash", passwordHash));
        // Whoever had the old password (or a session made with it) is out; the person signs in afresh.
        var hashes = await ReadHashesAsync(connection, transaction, UserSessionsRevokeAllSql, cancellationToken, ("id", userId));
        await AuditAsync(connection, transaction, workspaceId, AuditActions.PasswordReset, new Caller(workspaceId, userId), userId,
            new { endedSessions = hashes.Count }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await UserGetAsync(userId, cancellationToken) is { } user ? new PasswordResetUse(user, hashes) : null;
    }
}
