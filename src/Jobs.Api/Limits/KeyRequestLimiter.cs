using System.Security.Claims;
using Jobs.Api.Auth;

namespace Jobs.Api.Limits;

/// <summary>
/// The general per-key limit (docs/design.md, "Admission, limits and fairness"): every request made with an API key (a
/// named key or a UI session's), and every call on the SignalR hub, counts against its workspace's
/// <c>requests_per_minute</c>, in a one-minute window shared by all API instances through Redis.
/// </summary>
public sealed class KeyRequestLimiter(RedisRateLimiter limiter, WorkspaceLimitsCache limits)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Counts one request of <paramref name="user"/>'s key; null for a caller without a key (not limited here).</summary>
    public async Task<(RateDecision Decision, int Limit)?> HitAsync(ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        if (user?.FindFirstValue(CallerClaims.ApiKeyId) is not { } keyId
            || !Guid.TryParse(user.FindFirstValue(CallerClaims.WorkspaceId), out var workspaceId)
            || await limits.GetAsync(workspaceId, cancellationToken) is not { } workspace)
        {
            return null;
        }

        var decision = await limiter.HitFixedWindowAsync($"requests:{keyId}", workspace.RequestsPerMinute, Window);
        return (decision, workspace.RequestsPerMinute);
    }
}
