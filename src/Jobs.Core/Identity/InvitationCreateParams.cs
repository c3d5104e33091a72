namespace Jobs.Core.Identity;

/// <summary>
/// An invitation to make: the user to create with its role, and the hash of the token the invitee will bring.
/// <see cref="InvitedWithKeyId"/> is the key or session the inviting admin used, for the audit trail.
/// </summary>
public sealed record InvitationCreateParams(Guid WorkspaceId, Guid InvitedBy, string Email, string Role, byte[] TokenHash, DateTimeOffset ExpiresAt, Guid? InvitedWithKeyId = null);
