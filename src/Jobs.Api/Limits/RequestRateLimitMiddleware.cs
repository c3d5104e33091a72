using System.Globalization;
using System.Security.Claims;
using Jobs.Api.Auth;

namespace Jobs.Api.Limits;

/// <summary>
/// The general per-key limit (DESIGN §8): every request made with an API key (a named key or a UI session's) counts
/// against its workspace's <c>requests_per_minute</c>, in a one-minute window shared by all API instances through
/// Redis. Anonymous requests (sign-in, health) are not counted here; sign-in has its own limits. Every counted answer
/// says how much of the limit is left.
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
            SetRateLimitHeaders(context.Response, decision, workspace.RequestsPerMinute);
            if (!decision.Allowed)
            {
                await LimitProblems.RateLimited(context, decision, workspace.RequestsPerMinute).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    /// <summary>
    /// <c>RateLimit-Limit</c>, <c>-Remaining</c> and <c>-Reset</c> (seconds until the window starts again), on every
    /// answer to a key, so a client can pace itself before it meets a 429. Nothing when Redis did not answer: the
    /// limit failed open and nothing is known.
    /// </summary>
    private static void SetRateLimitHeaders(HttpResponse response, RateDecision decision, int limit)
    {
        if (ReferenceEquals(decision, RateDecision.FailedOpen))
        {
            return;
        }

        response.Headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = Math.Max(0, limit - decision.Count).ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Reset"] = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
