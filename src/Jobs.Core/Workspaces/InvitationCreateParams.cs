namespace Jobs.Core.Workspaces;

/// <summary>An invitation to make: the user to create with its role, and the hash of the token the invitee will bring.</summary>
public sealed record InvitationCreateParams(Guid WorkspaceId, Guid InvitedBy, string Email, string Role, byte[] TokenHash, DateTimeOffset ExpiresAt);
