using Npgsql;

namespace Jobs.Core.Identity;

/// <summary>A deployed instance's first workspace and admin, made once from configuration.</summary>
public sealed partial class NpgsqlWorkspaceStore
{
    // Under a lock, so that a second API instance starting at the same moment finds the email taken and inserts nothing.
    private const string FirstAdminLockSql = "SELECT pg_advisory_xact_lock(hashtextextended('jobs:first-admin', 0))";

    private const string FirstAdminCreateSql = """
        WITH workspace AS (
            INSERT INTO workspaces (id, name)
            SELECT @workspace_id, @workspace_name
            WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@email))
            RETURNING id
        )
        INSERT INTO users (id, workspace_id, email, display_name, password_hash, role)
        SELECT @user_id, w.id, @email, @display_name, @password_hash, 'admin'
        FROM workspace w
        """;

    public async Task<bool> FirstAdminCreateAsync(
        Guid userId, string workspaceName, string email, string displayName, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand(FirstAdminLockSql, connection, transaction))
        {
            await locking.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(FirstAdminCreateSql, connection, transaction);
        command.Parameters.AddWithValue("workspace_id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("workspace_name", workspaceName);
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("display_name", displayName);
        command.Parameters.AddWithValue("password_hash", passwordHash);
        var created = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        await transaction.CommitAsync(cancellationToken);
        return created;
    }
}
