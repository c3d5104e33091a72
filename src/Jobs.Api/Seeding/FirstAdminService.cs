using Jobs.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Api.Seeding;

/// <summary>
/// A deployed instance has no Development seed, so nobody could sign in: when <c>Jobs:Bootstrap:AdminEmail</c> and
/// <c>Jobs:Bootstrap:AdminPassword</c> are set (the password as a secret, e.g. azd's secure parameter) and no user
/// has that email, this makes a workspace (<c>Jobs:Bootstrap:WorkspaceName</c>, "default") with that user as its
/// admin (both under a lock, <see cref="IWorkspaceStore.FirstAdminCreateAsync"/>). It never changes an existing user,
/// so it is safe to leave configured: the admin creates keys and invites people from the UI. Runs after migrations
/// (hosted services start in registration order).
/// </summary>
public sealed class FirstAdminService(IWorkspaceStore store, IConfiguration configuration, ILogger<FirstAdminService> logger) : IHostedService
{
    public const string Section = "Jobs:Bootstrap";
    public const int MinPasswordLength = 10;

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
        var created = await store.FirstAdminCreateAsync(
            userId, workspaceName, account.Email, account.DisplayName, new PasswordHasher<UserAccount>().HashPassword(account, password), cancellationToken);
        if (created)
        {
            logger.LogInformation("Created workspace '{Workspace}' with its first admin {Email}", workspaceName, account.Email);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
