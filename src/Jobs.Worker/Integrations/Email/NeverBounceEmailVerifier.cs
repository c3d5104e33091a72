using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Engine;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations.Email;

/// <summary>
/// NeverBounce single verification (<c>GET /v4/single/check?key=…&amp;email=…</c>). NeverBounce answers 200 for its own
/// errors and says what went wrong in <c>status</c>: <c>auth_failure</c> and the request errors fail the job at once,
/// <c>throttle_triggered</c> and <c>temp_unavail</c> fail the attempt so that the job backs off and runs again.
/// </summary>
internal sealed class NeverBounceEmailVerifier(IHttpClientFactory httpClientFactory, IOptions<EmailVerifierOptions> options, IOptions<IntegrationPrices> prices)
    : IEmailVerifier
{
    public const string HttpClientName = "neverbounce";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Source => EmailVerifierOptions.NeverBounce;

    public async Task<EmailVerification> VerifyAsync(string email, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var path = $"v4/single/check?key={Uri.EscapeDataString(options.Value.ApiKey!)}&email={Uri.EscapeDataString(email)}";
        using var response = await client.GetAsync(path, cancellationToken);
        await IntegrationHttp.EnsureSuccessAsync(response, "NeverBounce single check", EmailVerifierOptions.Section, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<SingleCheckResponse>(Json, cancellationToken)
            ?? throw new HttpRequestException("NeverBounce answered an empty body.");
        switch (body.Status)
        {
            case "success":
                break;
            case "throttle_triggered" or "temp_unavail":
                throw new HttpRequestException($"NeverBounce is busy ({body.Status}: {body.Message}); the job will try again.");
            case "auth_failure":
                throw new NonRetryableJobException(
                    $"NeverBounce refused the API key ({body.Message}). Check {EmailVerifierOptions.Section}:ApiKey.");
            default:
                throw new NonRetryableJobException($"NeverBounce failed the check ({body.Status}: {body.Message}).");
        }

        var result = body.Result ?? "unknown";
        var status = result switch
        {
            "valid" => EmailStatus.Deliverable,
            "invalid" or "disposable" => EmailStatus.Undeliverable,
            _ => EmailStatus.Risky, // catchall, unknown
        };
        return new EmailVerification(status, result, prices.Value.EmailVerifier);
    }

    private sealed record SingleCheckResponse(
        string? Status,
        string? Result,
        string? Message,
        IReadOnlyList<string>? Flags,
        [property: JsonPropertyName("suggested_correction")] string? SuggestedCorrection,
        [property: JsonPropertyName("execution_time")] int? ExecutionTime);
}
