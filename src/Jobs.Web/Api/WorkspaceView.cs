namespace Jobs.Web.Api;

/// <summary>The answer to <c>GET /api/workspace</c>; <see cref="Role"/> is the caller's role in it.</summary>
public sealed record WorkspaceView(
    Guid Id, string Name, string Role, WorkspaceLimits Limits, WorkspaceLimitCeilings Ceilings, WorkspaceUsage Usage, WorkspaceStorage? Storage = null)
{
    public bool CallerIsAdmin => Role == Auth.SessionClaims.AdminRole;

    /// <summary>Every slot taken: a pending job that is due waits for one of the running jobs to finish.</summary>
    public bool AtConcurrencyLimit => Usage.Processing >= Limits.MaxConcurrentJobs;
}
