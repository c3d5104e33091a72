using System.Security.Claims;
using Jobs.Core.Workspaces;

namespace Jobs.Api.Auth;

/// <summary>The claims that carry the caller's workspace and user, whichever scheme signed them in.</summary>
public static class CallerClaims
{
    public const string WorkspaceId = "jobs:workspace_id";
    public const string UserId = "jobs:user_id";

    public static Caller ToCaller(this ClaimsPrincipal user) => new(
        Guid.Parse(user.FindFirstValue(WorkspaceId) ?? throw new InvalidOperationException("The caller has no workspace.")),
        Guid.Parse(user.FindFirstValue(UserId) ?? throw new InvalidOperationException("The caller has no user.")));
}
