namespace Jobs.Web.Api;

/// <summary>The signed-in user and their workspace. <see cref="Role"/> is "member" or "admin".</summary>
public sealed record MeView(Guid UserId, string Email, string DisplayName, Guid WorkspaceId, string WorkspaceName, string Role = "member");
