using System.Globalization;
using Jobs.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Limits;

/// <summary>
/// The 429 problems of the submission and request limits, each with <c>Retry-After</c> and <c>retryAfterSeconds</c> in
/// seconds, and the wait in words in its detail.
/// </summary>
public static class LimitProblems
{
    public static ProblemHttpResult BulkRateLimited(HttpContext context, BulkRefusal refusal)
    {
        var (decision, limit, requested) = refusal;
        var seconds = SetRetryAfter(context, decision);
        var detail = requested > limit
            ? $"This workspace allows {BulkJobs(limit)} per hour per user; this request has {requested}, more than an hour allows."
            : $"This workspace allows {BulkJobs(limit)} per hour per user; you have submitted {decision.Count} in the last hour"
              + (requested > 1 ? $" and this request has {requested}" : "") + $". Try again in {RetryWait.Describe(seconds)}.";
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "bulk_rate_limited", "Too many bulk jobs", detail,
            new Dictionary<string, object?> { ["limit"] = limit, ["window"] = "1 hour", ["retryAfterSeconds"] = seconds });
    }

    public static ProblemHttpResult RateLimited(HttpContext context, RateDecision decision, int limit)
    {
        var seconds = SetRetryAfter(context, decision);
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests",
            $"This workspace allows {limit} requests per minute per API key. Try again in {RetryWait.Describe(seconds)}.",
            new Dictionary<string, object?> { ["limit"] = limit, ["window"] = "1 minute", ["retryAfterSeconds"] = seconds });
    }

    private static string BulkJobs(int count) => count == 1 ? "1 bulk job" : $"{count} bulk jobs";

    private static int SetRetryAfter(HttpContext context, RateDecision decision)
    {
        var seconds = decision.RetryAfterSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }
}
