namespace Jobs.Core.Identity;

/// <summary>A workspace with one user and one API key, as Development and the tests create them.</summary>
public sealed record WorkspaceSeed(
    Guid WorkspaceId,
    string WorkspaceName,
    Guid UserId,
    string Email,
    string DisplayName,
    string ApiKey,
    int MaxConcurrentJobs = 5,
    int MaxBatchItems = 1000)
{
    /// <summary>The seeded user's role; a seeded workspace's first user administers it.</summary>
    public string Role { get; init; } = WorkspaceRoles.Admin;
}
