using Jobs.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Jobs.Api.Seeding;

/// <summary>
/// A deployed instance has no Development seed, so nobody could sign in: when <c>Jobs:Bootstrap:AdminEmail</c> and
/// <c>Jobs:Bootstrap:AdminPassword</c> are set (the password as a secret, e.g. azd's secure parameter) and no user
/// has that email, this makes a workspace (<c>Jobs:Bootstrap:WorkspaceName</c>, "default") with that user as its
/// admin. It never changes an existing user, so it is safe to leave configured: the admin creates keys and invites
/// people from the UI. Runs after migrations (hosted services start in registration order).
/// </summary>
public sealed class FirstAdminService(NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<FirstAdminService> logger) : IHostedService
{
    public const string Section = "Jobs:Bootstrap";
    public const int MinPasswordLength = 10;

    // Under a lock, so that a second API instance starting at the same moment finds the email taken and inserts nothing.
    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtextextended('jobs:first-admin', 0))";

    private const string CreateSql = """
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

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var section = configuration.GetSection(Section);
        if (section["AdminEmail"] is not { Length: > 0 } email)
        {
            return;
        }

        if (section["AdminPassword"] is not { Length: >= MinPasswordLength } password)
        {
            throw new InvalidOperationException($"{Section}:AdminPassword must be set, at least {MinPasswordLength} characters, when {Section}:AdminEmail is.");
        }

        var userId = Guid.CreateVersion7();
        var workspaceName = section["WorkspaceName"] is { Length: > 0 } name ? name : "default";
        var account = new UserAccount(userId, Guid.Empty, email.Trim(), email.Trim(), null, workspaceName);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand(LockSql, connection, transaction))
        {
            await locking.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(CreateSql, connection, transaction);
        command.Parameters.AddWithValue("workspace_id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("workspace_name", workspaceName);
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("email", account.Email);
        command.Parameters.AddWithValue("display_name", account.DisplayName);
        command.Parameters.AddWithValue("password_hash", new PasswordHasher<UserAccount>().HashPassword(account, password));
        var created = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        await transaction.CommitAsync(cancellationToken);
        if (created)
        {
            logger.LogInformation("Created workspace '{Workspace}' with its first admin {Email}", workspaceName, account.Email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
