using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Jobs.Client;

/// <summary>
/// An answer of the API that was a problem (RFC 9457, docs/api.md, "Errors"): its status, its stable machine-readable
/// <see cref="Code"/> to branch on, and the title and detail for people. The subclasses are the answers a caller
/// handles differently: <see cref="JobsValidationException"/>, <see cref="JobsNotFoundException"/>,
/// <see cref="JobsConflictException"/>, <see cref="JobsRateLimitedException"/>.
/// </summary>
public class JobsApiException(HttpStatusCode status, string code, string? title, string? detail, JsonElement? problem)
    : Exception(Describe(status, code, title, detail))
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem's <c>code</c> (<c>job_not_found</c>, <c>validation_failed</c>, <c>rate_limited</c> …).</summary>
    public string Code { get; } = code;

    public string? Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>The whole problem document, for members this type does not lift out; null when the body was not JSON.</summary>
    public JsonElement? Problem { get; } = problem;

    /// <summary>
    /// The problem's <c>errors</c>: each bad field (<c>payload.items</c>, <c>jobs[2].type</c>) with what was wrong. Most
    /// often on a 400 (<see cref="JobsValidationException"/>), but a 413 or 409 may name the field too, so every
    /// problem has it; empty when the problem names none.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = FieldErrors(problem);

    /// <summary>What to tell a person: the detail when there is one, else the title.</summary>
    public string Summary => Detail ?? Title ?? $"The API answered {(int)Status}.";

    private static string Describe(HttpStatusCode status, string code, string? title, string? detail) =>
        $"{(int)status} {code}: {title}{(detail is null ? "" : $" — {detail}")}";

    /// <summary>
    /// The exception for a response that was not a success; reads its body. Public for callers that send a request of
    /// their own (a sign-in flow, a download they stream through) and want its problem as this client throws it.
    /// </summary>
    public static async Task<JobsApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement? problem = null;
        try
        {
            if (body.Length > 0)
            {
                problem = JsonDocument.Parse(body).RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML page or an empty body: the status still says what happened.
        }

        var status = response.StatusCode;
        var code = String(problem, "code") ?? $"http_{(int)status}";
        var title = String(problem, "title") ?? response.ReasonPhrase;
        var detail = String(problem, "detail");
        return status switch
        {
            HttpStatusCode.BadRequest when problem is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object =>
                new JobsValidationException(status, code, title, detail, problem),
            HttpStatusCode.NotFound => new JobsNotFoundException(code, title, detail, problem),
            HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity => new JobsConflictException(status, code, title, detail, problem),
            HttpStatusCode.TooManyRequests => new JobsRateLimitedException(code, title, detail, problem, RetryAfter(response.Headers.RetryAfter)),
            _ => new JobsApiException(status, code, title, detail, problem),
        };
    }

    private static string? String(JsonElement? problem, string name) =>
        problem is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static Dictionary<string, string[]> FieldErrors(JsonElement? problem) =>
        problem is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? errors.EnumerateObject().ToDictionary(
                field => field.Name,
                field => field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : m.ToString()).ToArray()
                    : [field.Value.ToString()])
            : [];

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
}

/// <summary>400 <c>validation_failed</c> and its kin: <see cref="JobsApiException.Errors"/> names each bad field
/// (<c>payload.items</c>, <c>jobs[2].type</c>) with what was wrong.</summary>
public sealed class JobsValidationException(HttpStatusCode status, string code, string? title, string? detail, JsonElement? problem)
    : JobsApiException(status, code, title, detail, problem)
{
    public override string Message => $"{base.Message} {string.Join("; ", Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}";
}

/// <summary>404: no such job in the caller's workspace; another workspace's job answers the same (docs/design.md, "Tenancy").</summary>
public sealed class JobsNotFoundException(string code, string? title, string? detail, JsonElement? problem)
    : JobsApiException(HttpStatusCode.NotFound, code, title, detail, problem);

/// <summary>409 or 422: the request is well formed but the state forbids it (<c>invalid_transition</c> when cancelling a
/// finished job, <c>idempotency_key_reused</c> for a key sent again with another request).</summary>
public sealed class JobsConflictException(HttpStatusCode status, string code, string? title, string? detail, JsonElement? problem)
    : JobsApiException(status, code, title, detail, problem);

/// <summary>429: a rate limit was reached; <see cref="RetryAfter"/> says when to try again.</summary>
public sealed class JobsRateLimitedException(string code, string? title, string? detail, JsonElement? problem, TimeSpan? retryAfter)
    : JobsApiException(HttpStatusCode.TooManyRequests, code, title, detail, problem)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
