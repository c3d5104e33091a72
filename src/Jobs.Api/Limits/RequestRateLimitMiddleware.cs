using System.Security.Claims;
using Jobs.Api.Auth;

namespace Jobs.Api.Limits;

/// <summary>
/// The general per-key limit (DESIGN §8): every request made with an API key (a named key or a UI session's) counts
/// against its workspace's <c>requests_per_minute</c>, in a one-minute window shared by all API instances through
/// Redis. Anonymous requests (sign-in, health) are not counted here; sign-in has its own limits.
/// </summary>
public sealed class RequestRateLimitMiddleware(RequestDelegate next, RedisRateLimiter limiter, WorkspaceLimitsCache limits)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.FindFirstValue(CallerClaims.ApiKeyId) is { } keyId
            && Guid.TryParse(context.User.FindFirstValue(CallerClaims.WorkspaceId), out var workspaceId)
            && await limits.GetAsync(workspaceId, context.RequestAborted) is { } workspace)
        {
            var decision = await limiter.HitFixedWindowAsync($"requests:{keyId}", workspace.RequestsPerMinute, Window);
            if (!decision.Allowed)
            {
                await LimitProblems.RateLimited(context, decision, workspace.RequestsPerMinute).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}
