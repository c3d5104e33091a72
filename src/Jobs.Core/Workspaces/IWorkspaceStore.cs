namespace Jobs.Core.Workspaces;

/// <summary>Workspaces, their users and API keys.</summary>
public interface IWorkspaceStore
{
    /// <summary>The caller an unrevoked key belongs to, or null.</summary>
    Task<Caller?> ApiKeyFindCallerAsync(string apiKey, CancellationToken cancellationToken);

    Task<UserAccount?> UserFindByEmailAsync(string email, CancellationToken cancellationToken);

    Task<UserAccount?> UserGetAsync(Guid userId, CancellationToken cancellationToken);

    Task UserSetPasswordHashAsync(Guid userId, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Issues an API key for a signed-in user that expires after <paramref name="lifetime"/>; returns the plain key.</summary>
    Task<string> SessionCreateAsync(Caller caller, TimeSpan lifetime, CancellationToken cancellationToken);

    Task ApiKeyRevokeAsync(string apiKey, CancellationToken cancellationToken);

    Task<Workspace?> WorkspaceGetAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>Creates the workspace, its user and the API key when missing; idempotent.</summary>
    Task<Caller> WorkspaceEnsureAsync(WorkspaceSeed seed, CancellationToken cancellationToken);
}
