using Jobs.Contracts.Workspaces;

namespace Jobs.Core.Identity;

/// <summary>Workspaces, their users and API keys.</summary>
public interface IWorkspaceStore
{
    /// <summary>The caller an unrevoked key belongs to, or null.</summary>
    Task<Caller?> ApiKeyFindCallerAsync(string apiKey, CancellationToken cancellationToken);

    /// <summary>
    /// The caller an unrevoked, unexpired key belongs to, found by the key's id, with the key's hash; null when the key
    /// does not exist, is revoked or has expired, or its user was removed. For a stream token, which names its key.
    /// </summary>
    Task<(Caller Caller, byte[] KeyHash)?> ApiKeyFindCallerByIdAsync(Guid keyId, CancellationToken cancellationToken);

    /// <summary>
    /// The accounts of an email that have a password (one per workspace), the one whose session started last first.
    /// </summary>
    Task<IReadOnlyList<UserAccount>> UserListByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>
    /// The person's accounts that the account's password opens too (the same email and password), this one included:
    /// the workspaces a session of theirs can switch to.
    /// </summary>
    Task<IReadOnlyList<WorkspaceMembership>> UserLinkedListAsync(Guid userId, CancellationToken cancellationToken);

    Task<UserAccount?> UserGetAsync(Guid userId, CancellationToken cancellationToken);

    Task UserSetPasswordHashAsync(Guid userId, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Issues an API key for a signed-in user that expires after <paramref name="lifetime"/>; returns the plain key.</summary>
    Task<string> SessionCreateAsync(Caller caller, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the session <paramref name="currentKey"/> and starts one for <paramref name="target"/> in the same statement;
    /// returns the new plain key, or null (and changes nothing) when the current session had ended already.
    /// </summary>
    Task<string?> SessionSwitchAsync(string currentKey, Caller target, TimeSpan lifetime, CancellationToken cancellationToken);

    Task ApiKeyRevokeAsync(string apiKey, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="deviceToken"/> is a sign-in device token issued to <paramref name="email"/> and not expired.</summary>
    Task<bool> SignInDeviceCheckAsync(string deviceToken, string email, CancellationToken cancellationToken);

    /// <summary>
    /// After a successful sign-in: renews <paramref name="renew"/> for another <paramref name="lifetime"/> when it is a
    /// live device token of <paramref name="email"/> and returns it, else issues a new one; returns the plain token.
    /// </summary>
    Task<string> SignInDeviceIssueAsync(string email, string? renew, TimeSpan lifetime, CancellationToken cancellationToken);

    Task<Workspace?> WorkspaceGetAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>Creates the workspace, its user and the API key when missing; idempotent.</summary>
    Task<Caller> WorkspaceEnsureAsync(WorkspaceSeed seed, CancellationToken cancellationToken);

    /// <summary>The workspace's named keys (kind 'key'; the session keys behind UI sign-ins are not listed), newest first.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ApiKeyListAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>Makes a named key for <paramref name="caller"/>'s workspace and user; the plain key is returned once.</summary>
    Task<NewApiKey> ApiKeyCreateAsync(Caller caller, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a named key of the workspace (an already revoked one stays as it was); returns its hash for cache
    /// eviction, or null when the workspace has no such key.
    /// </summary>
    Task<byte[]?> ApiKeyRevokeByIdAsync(Caller actor, Guid keyId, CancellationToken cancellationToken);

    /// <summary>Records that the key was used, unless that was recorded less than a minute ago.</summary>
    Task ApiKeyTouchAsync(Guid keyId, CancellationToken cancellationToken);

    Task<IReadOnlyList<WorkspaceUser>> UserListAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>Sets a user's role in <paramref name="actor"/>'s workspace unless that leaves it without an admin; audited.</summary>
    Task<UserRoleSetResult> UserRoleSetAsync(Caller actor, Guid userId, string role, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a member of <paramref name="actor"/>'s workspace (revokes every key and session of theirs, retires their
    /// invitation and reset links, frees their address) or cancels a pending invitation, unless that leaves the
    /// workspace without an admin; audited.
    /// </summary>
    Task<UserRemoveResult> UserRemoveAsync(Caller actor, Guid userId, CancellationToken cancellationToken);

    /// <summary>The user's live sessions, newest first; null when the workspace has no such user.</summary>
    Task<IReadOnlyList<UserSession>?> UserSessionListAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Ends one live session of the user (<paramref name="sessionId"/>) or all of them (null), audited when any ended;
    /// returns the ended keys' hashes for eviction, or null when <paramref name="actor"/>'s workspace has no such user.
    /// </summary>
    Task<IReadOnlyList<byte[]>?> UserSessionRevokeAsync(Caller actor, Guid userId, Guid? sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the caller's password on every account of theirs that shares it and ends their other sessions; audited
    /// in each workspace. Returns the ended sessions' hashes, or null (nothing changed) when the current password is
    /// no longer <see cref="PasswordChangeParams.CurrentPasswordHash"/>.
    /// </summary>
    Task<IReadOnlyList<byte[]>?> UserPasswordChangeAsync(PasswordChangeParams change, CancellationToken cancellationToken);

    /// <summary>Issues a one-time password reset link for an active member, retiring their earlier ones; audited.</summary>
    Task<PasswordResetCreateOutcome> PasswordResetCreateAsync(PasswordResetCreateParams reset, CancellationToken cancellationToken);

    /// <summary>The account's email when an unused, unexpired reset link has this token, else null.</summary>
    Task<string?> PasswordResetEmailGetAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// Uses a reset link once: sets that one account's password and ends its sessions; audited. Null when the link
    /// cannot be used (unknown, used, expired, or its user removed).
    /// </summary>
    Task<PasswordResetUse?> PasswordResetUseAsync(byte[] tokenHash, string passwordHash, CancellationToken cancellationToken);

    /// <summary>The workspace's audit trail, newest first, before the entry <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<AuditEvent>> AuditEventListAsync(Guid workspaceId, int limit, long? before, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the invited user (no password yet) and the invitation; invites this workspace's pending invitee again
    /// (their earlier links stop working, the new role applies); null when the email is a member of this workspace
    /// already. Accounts of the email in other workspaces play no part.
    /// </summary>
    Task<WorkspaceUser?> InvitationCreateAsync(InvitationCreateParams invitation, CancellationToken cancellationToken);

    /// <summary>
    /// The invitee's email when an unused, unexpired invitation has this token, else null: a cheap check before
    /// hashing a password for it, and the address a password must not contain.
    /// </summary>
    Task<string?> InvitationEmailGetAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// Uses an unused, unexpired invitation: sets the user's name and password and marks it used, at most once.
    /// Returns the user, or null when no such invitation can be used.
    /// </summary>
    Task<UserAccount?> InvitationAcceptAsync(byte[] tokenHash, string displayName, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Replaces the workspace's limits; false when there is no such workspace.</summary>
    Task<bool> WorkspaceLimitsSetAsync(Guid workspaceId, WorkspaceLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the limits <paramref name="overrides"/> gives and leaves the others as they are; false when there is no such
    /// workspace.
    /// </summary>
    Task<bool> WorkspaceLimitsOverrideAsync(Guid workspaceId, WorkspaceLimitOverrides overrides, CancellationToken cancellationToken);

    /// <summary>Brings every workspace's limits down to <paramref name="ceilings"/> where they are above; returns how many workspaces changed.</summary>
    Task<int> WorkspaceLimitsCapAsync(WorkspaceLimitCeilings ceilings, CancellationToken cancellationToken);

    Task<WorkspaceUsage> WorkspaceUsageGetAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>
    /// Makes a workspace named <paramref name="workspaceName"/> with this user as its admin, unless a user with the
    /// email exists already (compared without regard to case); serialized across instances. True when it made them.
    /// </summary>
    Task<bool> FirstAdminCreateAsync(
        Guid userId, string workspaceName, string email, string displayName, string passwordHash, CancellationToken cancellationToken);
}
