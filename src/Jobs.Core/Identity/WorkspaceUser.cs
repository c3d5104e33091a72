namespace Jobs.Core.Identity;

/// <summary>A user of a workspace as an admin lists them; <see cref="InvitationPending"/> until they accept.</summary>
public sealed record WorkspaceUser(Guid Id, string Email, string DisplayName, string Role, DateTimeOffset CreatedAt, bool InvitationPending);
