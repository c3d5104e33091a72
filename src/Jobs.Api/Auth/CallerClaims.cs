using System.Security.Claims;
using Jobs.Core.Identity;

namespace Jobs.Api.Auth;

/// <summary>The claims that carry the caller's workspace and user, whichever scheme signed them in.</summary>
public static class CallerClaims
{
    public const string WorkspaceId = "jobs:workspace_id";
    public const string UserId = "jobs:user_id";
    public const string ApiKeyId = "jobs:api_key_id";
    public const string ApiKeyKind = "jobs:api_key_kind";

    /// <summary>The authorization policy of admin-only endpoints (keys, users, limits).</summary>
    public const string AdminPolicy = "workspace-admin";

    public static IEnumerable<Claim> Of(Caller caller)
    {
        yield return new Claim(WorkspaceId, caller.WorkspaceId.ToString());
        yield return new Claim(UserId, caller.UserId.ToString());
        yield return new Claim(ClaimTypes.Role, caller.Role);
        if (caller.ApiKeyId is { } keyId)
        {
            yield return new Claim(ApiKeyId, keyId.ToString());
        }

        if (caller.ApiKeyKind is { } kind)
        {
            yield return new Claim(ApiKeyKind, kind);
        }
    }

    public static Caller ToCaller(this ClaimsPrincipal user) => new(
        Guid.Parse(user.FindFirstValue(WorkspaceId) ?? throw new InvalidOperationException("The caller has no workspace.")),
        Guid.Parse(user.FindFirstValue(UserId) ?? throw new InvalidOperationException("The caller has no user.")))
    {
        Role = user.FindFirstValue(ClaimTypes.Role) ?? WorkspaceRoles.Member,
        ApiKeyId = user.FindFirstValue(ApiKeyId) is { } keyId ? Guid.Parse(keyId) : null,
        ApiKeyKind = user.FindFirstValue(ApiKeyKind),
    };
}
