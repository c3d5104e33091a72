namespace Jobs.Core.Identity;

/// <summary>A row of <c>users</c> with its workspace's name, as sign-in needs it.</summary>
public sealed record UserAccount(Guid Id, Guid WorkspaceId, string Email, string DisplayName, string? PasswordHash, string WorkspaceName)
{
    public string Role { get; init; } = WorkspaceRoles.Member;
}
