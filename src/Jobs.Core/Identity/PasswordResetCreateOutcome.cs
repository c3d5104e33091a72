namespace Jobs.Core.Identity;

/// <summary>What issuing a password reset link did.</summary>
public enum PasswordResetCreateOutcome
{
    /// <summary>The link was issued; earlier unused links of the user no longer work.</summary>
    Created,

    /// <summary>No such user in the workspace; nothing changed.</summary>
    NotFound,

    /// <summary>The user has not accepted their invitation yet (they need a new invitation link); nothing changed.</summary>
    InvitationPending,
}
