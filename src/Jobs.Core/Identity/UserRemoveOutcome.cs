namespace Jobs.Core.Identity;

/// <summary>What removing a user did.</summary>
public enum UserRemoveOutcome
{
    /// <summary>The member was removed; their keys and sessions are revoked.</summary>
    Removed,

    /// <summary>The user was a pending invitee: the invitation is cancelled and its link retired.</summary>
    InvitationCancelled,

    /// <summary>No such user in the workspace (another workspace's user or a removed one included); nothing changed.</summary>
    NotFound,

    /// <summary>The user is the workspace's last admin; nothing changed.</summary>
    LastAdmin,
}
