namespace Jobs.Core.Workspaces;

/// <summary>Workspaces, their users and API keys.</summary>
public interface IWorkspaceStore
{
    /// <summary>The caller an unrevoked key belongs to, or null.</summary>
    Task<Caller?> ApiKeyFindCallerAsync(string apiKey, CancellationToken cancellationToken);

    Task<Workspace?> WorkspaceGetAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>Creates the workspace, its user and the API key when missing; idempotent.</summary>
    Task<Caller> WorkspaceEnsureAsync(WorkspaceSeed seed, CancellationToken cancellationToken);
}
