namespace Jobs.Web.Api;

/// <summary>One of the signed-in person's workspaces (<c>GET /api/me</c>'s <c>workspaces</c>), where a session can switch to.</summary>
public sealed record MeWorkspaceView(Guid WorkspaceId, string Name, string Role);
