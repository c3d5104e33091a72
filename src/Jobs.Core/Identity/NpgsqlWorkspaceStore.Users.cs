using Npgsql;

namespace Jobs.Core.Identity;

/// <summary>A workspace's users: list, roles, invitations.</summary>
public sealed partial class NpgsqlWorkspaceStore
{
    private const string PendingSql = "(u.password_hash IS NULL AND EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id AND i.used_at IS NULL))";

    private const string UserListSql = $"""
        SELECT u.id, u.email, u.display_name, u.role, u.created_at, {PendingSql}
        FROM users u
        WHERE u.workspace_id = @workspace_id
          AND u.removed_at IS NULL
        ORDER BY u.created_at, u.id
        """;

    private const string WorkspaceUserGetSql = $"""
        SELECT u.id, u.email, u.display_name, u.role, u.created_at, {PendingSql}
        FROM users u
        WHERE u.workspace_id = @workspace_id
          AND u.id = @id
          AND u.removed_at IS NULL
        """;

    // Role changes of one workspace take turns on its row, so that two admins demoting each other at once cannot both
    // pass the last-admin check. NO KEY UPDATE leaves inserts referencing the workspace (jobs, keys) unblocked.
    private const string WorkspaceLockSql = """
        SELECT id
        FROM workspaces
        WHERE id = @workspace_id
        FOR NO KEY UPDATE
        """;

    // An invitee who has not accepted cannot administer anything yet, so they do not count as the admin who stays.
    private const string OtherAdminsCountSql = $"""
        SELECT count(*)
        FROM users u
        WHERE u.workspace_id = @workspace_id
          AND u.role = 'admin'
          AND u.id <> @id
          AND u.removed_at IS NULL
          AND NOT {PendingSql}
        """;

    private const string UserRoleSetSql = """
        UPDATE users
        SET role = @role
        WHERE id = @id
          AND workspace_id = @workspace_id
        """;

    private const string UserActiveKeyHashesSql = """
        SELECT key_hash
        FROM api_keys
        WHERE user_id = @id
          AND revoked_at IS NULL
          AND (expires_at IS NULL OR expires_at > now())
        """;

    // The account an invitation's email already has in this workspace, if any; locked, so that two invitations of one
    // pending invitee take turns. Other workspaces' accounts of the address are not looked at.
    private const string UserByEmailSql = $"""
        SELECT u.id, u.workspace_id, {PendingSql}, u.created_at, u.email
        FROM users u
        WHERE u.workspace_id = @workspace_id
          AND lower(u.email) = lower(@email)
          AND u.removed_at IS NULL
        FOR UPDATE
        """;

    // Inviting a pending invitee again: the links sent before stop working, and the new invitation's role applies.
    private const string InvitationsSupersedeSql = """
        UPDATE invitations
        SET expires_at = least(expires_at, now())
        WHERE user_id = @user_id
          AND used_at IS NULL
        """;

    private const string InvitedUserRoleSetSql = """
        UPDATE users
        SET role = @role
        WHERE id = @user_id
        """;

    // ON CONFLICT covers the race with another invitation of the same address; the check above covers its other cases.
    private const string InvitedUserInsertSql = """
        INSERT INTO users (id, workspace_id, email, display_name, role)
        VALUES (@id, @workspace_id, @email, @email, @role)
        ON CONFLICT (workspace_id, lower(email)) WHERE removed_at IS NULL DO NOTHING
        RETURNING created_at
        """;

    private const string InvitationInsertSql = """
        INSERT INTO invitations (id, workspace_id, user_id, invited_by, token_hash, expires_at)
        VALUES (@id, @workspace_id, @user_id, @invited_by, @token_hash, @expires_at)
        """;

    private const string InvitationEmailGetSql = """
        SELECT u.email
        FROM invitations i
        JOIN users u ON u.id = i.user_id
        WHERE i.token_hash = @token_hash
          AND i.used_at IS NULL
          AND i.expires_at > now()
          AND u.removed_at IS NULL
        """;

    // One statement: the invitation is used, the password set and the acceptance audited together, or none of them
    // (a used, expired or unknown token changes nothing), and two accepts of one token cannot both succeed.
    private const string InvitationAcceptSql = """
        WITH used AS (
            UPDATE invitations
            SET used_at = now()
            WHERE token_hash = @token_hash
              AND used_at IS NULL
              AND expires_at > now()
            RETURNING user_id
        ),
        accepted AS (
            UPDATE users u
            SET display_name = @display_name,
                password_hash = @password_hash
            FROM used
            WHERE u.id = used.user_id
              AND u.removed_at IS NULL
            RETURNING u.id, u.workspace_id, u.email, u.role
        ),
        audit AS (
            INSERT INTO audit_events (workspace_id, action, actor_user_id, actor_email, target_user_id, target_email, details)
            SELECT workspace_id, 'invitation.accepted', id, email, id, email, jsonb_build_object('role', role)
            FROM accepted
        )
        SELECT id
        FROM accepted
        """;

    public async Task<IReadOnlyList<WorkspaceUser>> UserListAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UserListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<WorkspaceUser>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(ReadWorkspaceUser(reader));
        }

        return users;
    }

    public async Task<UserRoleSetResult> UserRoleSetAsync(Caller actor, Guid userId, string role, CancellationToken cancellationToken)
    {
        var workspaceId = actor.WorkspaceId;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, WorkspaceLockSql, cancellationToken, ("workspace_id", workspaceId));
        var user = await WorkspaceUserGetAsync(connection, transaction, workspaceId, userId, cancellationToken);
        if (user is null)
        {
            return new UserRoleSetResult(UserRoleSetOutcome.NotFound, null, []);
        }

        if (user.Role == WorkspaceRoles.Admin && role != WorkspaceRoles.Admin
            && await OtherAdminsCountAsync(connection, transaction, workspaceId, userId, cancellationToken) == 0)
        {
            return new UserRoleSetResult(UserRoleSetOutcome.LastAdmin, user, []);
        }

        await ExecuteAsync(connection, transaction, UserRoleSetSql, cancellationToken, ("workspace_id", workspaceId), ("id", userId), ("role", role));
        if (user.Role != role)
        {
            await AuditAsync(connection, transaction, workspaceId, AuditActions.RoleChanged, actor, userId, new { from = user.Role, to = role }, cancellationToken);
        }
        var hashes = new List<byte[]>();
        await using (var keys = new NpgsqlCommand(UserActiveKeyHashesSql, connection, transaction))
        {
            keys.Parameters.AddWithValue("id", userId);
            await using var reader = await keys.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hashes.Add(reader.GetFieldValue<byte[]>(0));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new UserRoleSetResult(UserRoleSetOutcome.Updated, user with { Role = role }, hashes);
    }

    public async Task<WorkspaceUser?> InvitationCreateAsync(InvitationCreateParams invitation, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Guid? invitee = null;
        var createdAt = default(DateTimeOffset);
        var email = invitation.Email;
        await using (var existing = new NpgsqlCommand(UserByEmailSql, connection, transaction))
        {
            existing.Parameters.AddWithValue("workspace_id", invitation.WorkspaceId);
            existing.Parameters.AddWithValue("email", invitation.Email);
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                // Only an invitee who has not accepted yet may be invited again; a member is one already.
                if (!reader.GetBoolean(2))
                {
                    return null;
                }

                invitee = reader.GetGuid(0);
                createdAt = new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero);
                email = reader.GetString(4);
            }
        }

        var userId = invitee ?? Guid.CreateVersion7();
        if (invitee is null)
        {
            await using var insert = new NpgsqlCommand(InvitedUserInsertSql, connection, transaction);
            insert.Parameters.AddWithValue("id", userId);
            insert.Parameters.AddWithValue("workspace_id", invitation.WorkspaceId);
            insert.Parameters.AddWithValue("email", invitation.Email);
            insert.Parameters.AddWithValue("role", invitation.Role);
            if (await insert.ExecuteScalarAsync(cancellationToken) is not DateTime created)
            {
                return null;
            }

            createdAt = new DateTimeOffset(created, TimeSpan.Zero);
        }
        else
        {
            await ExecuteAsync(connection, transaction, InvitationsSupersedeSql, cancellationToken, ("user_id", userId));
            await ExecuteAsync(connection, transaction, InvitedUserRoleSetSql, cancellationToken, ("user_id", userId), ("role", invitation.Role));
        }

        await AuditAsync(connection, transaction, invitation.WorkspaceId, AuditActions.UserInvited,
            new Caller(invitation.WorkspaceId, invitation.InvitedBy) { ApiKeyId = invitation.InvitedWithKeyId }, userId,
            new { role = invitation.Role, again = invitee is not null }, cancellationToken);
        await ExecuteAsync(connection, transaction, InvitationInsertSql, cancellationToken,
            ("id", Guid.CreateVersion7()),
            ("workspace_id", invitation.WorkspaceId),
            ("user_id", userId),
            ("invited_by", invitation.InvitedBy),
            ("token_hash", invitation.TokenHash),
            ("expires_at", invitation.ExpiresAt));
        await transaction.CommitAsync(cancellationToken);
        return new WorkspaceUser(userId, email, email, invitation.Role, createdAt, InvitationPending: true);
    }

    public async Task<string?> InvitationEmailGetAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(InvitationEmailGetSql);
        command.Parameters.AddWithValue("token_hash", tokenHash);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<UserAccount?> InvitationAcceptAsync(byte[] tokenHash, string displayName, string passwordHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(InvitationAcceptSql);
        command.Parameters.AddWithValue("token_hash", tokenHash);
        command.Parameters.AddWithValue("display_name", displayName);
        command.Parameters.AddWithValue("password_hash", passwordHash);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid userId
            ? await UserGetAsync(userId, cancellationToken)
            : null;
    }

    private static async Task<WorkspaceUser?> WorkspaceUserGetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(WorkspaceUserGetSql, connection, transaction);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadWorkspaceUser(reader) : null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static WorkspaceUser ReadWorkspaceUser(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetBoolean(5));
}
