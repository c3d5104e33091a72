namespace Jobs.Api.Limits;

/// <summary>
/// Holds every request made with an API key to the key's requests per minute (<see cref="KeyRequestLimiter"/>).
/// Anonymous requests (sign-in, health) are not counted here; sign-in has its own limits.
/// </summary>
public sealed class RequestRateLimitMiddleware(RequestDelegate next, KeyRequestLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (await limiter.HitAsync(context.User, context.RequestAborted) is { Decision.Allowed: false } hit)
        {
            await LimitProblems.RateLimited(context, hit.Decision, hit.Limit).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
