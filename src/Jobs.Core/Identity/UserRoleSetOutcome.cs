namespace Jobs.Core.Identity;

public enum UserRoleSetOutcome
{
    Updated,
    /// <summary>No such user in the workspace (another workspace's user included); nothing changed.</summary>
    NotFound,
    /// <summary>The change would leave the workspace without an admin; nothing changed.</summary>
    LastAdmin,
}
