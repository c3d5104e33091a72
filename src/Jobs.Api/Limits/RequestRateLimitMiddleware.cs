using System.Globalization;

namespace Jobs.Api.Limits;

/// <summary>
/// Holds every request made with an API key to the key's requests per minute (<see cref="KeyRequestLimiter"/>), and
/// says on every counted answer how much of the limit is left. Anonymous requests (sign-in, health) are not counted
/// here; sign-in has its own limits.
/// </summary>
public sealed class RequestRateLimitMiddleware(RequestDelegate next, KeyRequestLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (await limiter.HitAsync(context.User, context.RequestAborted) is { } hit)
        {
            SetRateLimitHeaders(context.Response, hit.Decision, hit.Limit);
            if (!hit.Decision.Allowed)
            {
                await LimitProblems.RateLimited(context, hit.Decision, hit.Limit).ExecuteAsync(context);
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
