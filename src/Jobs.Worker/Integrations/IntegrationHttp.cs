using System.Net;
using System.Text.Json;
using Jobs.Core.Engine;

namespace Jobs.Worker.Integrations;

/// <summary>
/// How the real clients turn an HTTP answer into an outcome, once the standard resilience pipeline (timeouts, retries
/// on 408, 429 and 5xx honouring <c>Retry-After</c>, circuit breaker) has done its work: a success is read; a 429 or
/// 5xx still there after its retries fails the attempt retryably (the job backs off and runs again); any other 4xx
/// is a request no retry can fix (a bad key, a wrong address), so the job fails at once with a message that says so.
/// </summary>
internal static class IntegrationHttp
{
    private const int MaxDetailLength = 300;

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string service, string settingsSection, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var detail = await ReadErrorAsync(response, cancellationToken);
        var what = $"{service} answered {status} {response.ReasonPhrase}{(detail is null ? "" : $": {detail}")}";
        if (IsTransient(response.StatusCode))
        {
            throw new HttpRequestException($"{what} (still failing after retries; the job will try again).", null, response.StatusCode);
        }

        var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? $" Check {settingsSection}:ApiKey and that the key may call this API."
            : "";
        throw new NonRetryableJobException($"{what}.{hint}");
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>The error message of the body, as Google (<c>error.message</c>) and Hunter (<c>errors[0].details</c>) send it, else its start.</summary>
    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return Shorten(message.GetString()!);
            }

            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                && errors[0].ValueKind == JsonValueKind.Object
                && errors[0].TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.String)
            {
                return Shorten(details.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): its start is still the best hint.
        }

        return Shorten(body);
    }

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxDetailLength ? text : text[..MaxDetailLength] + "…";
    }

    /// <summary>A base address whose path ends with '/', so that relative request paths append to it.</summary>
    public static Uri AsBaseAddress(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
