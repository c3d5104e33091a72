namespace Jobs.Web.Api;

/// <summary>
/// The signed-in user and their workspace. <see cref="Role"/> is "member" or "admin"; <see cref="Workspaces"/> are the
/// person's workspaces that this sign-in opens, this one included.
/// </summary>
public sealed record MeView(
    Guid UserId,
    string Email,
    string DisplayName,
    Guid WorkspaceId,
    string WorkspaceName,
    string Role = "member",
    IReadOnlyList<MeWorkspaceView>? Workspaces = null);
