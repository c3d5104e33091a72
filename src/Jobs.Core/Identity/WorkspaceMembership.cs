namespace Jobs.Core.Identity;

/// <summary>One of a person's accounts: the workspace it is in and the person's role there.</summary>
public sealed record WorkspaceMembership(Guid UserId, Guid WorkspaceId, string WorkspaceName, string Role);
