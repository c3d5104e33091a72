namespace Jobs.Web.Api;

/// <summary>The signed-in user and their workspace.</summary>
public sealed record MeView(Guid UserId, string Email, string DisplayName, Guid WorkspaceId, string WorkspaceName);
