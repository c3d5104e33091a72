using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Core.Engine;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations.Email;

/// <summary>
/// Hunter.io Domain Search (<c>GET /v2/domain-search?domain=…&amp;api_key=…</c>): the addresses Hunter knows at a domain,
/// of which we keep the one it is most confident in. Hunter's own status codes differ from the usual: 403 is its
/// per-second rate limit (retried: the job backs off and runs again) and 429 its monthly quota (nothing to retry
/// until the plan changes).
/// </summary>
internal sealed class HunterEmailFinder(IHttpClientFactory httpClientFactory, IOptions<EmailFinderOptions> options, IOptions<IntegrationPrices> prices)
    : IEmailFinder
{
    public const string HttpClientName = "hunter";

    /// <summary>Hunter bills a domain search by the ten addresses it returns; one page is what we need.</summary>
    private const int Limit = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Source => EmailFinderOptions.Hunter;

    public async Task<EmailFinding> FindAsync(string domain, string companyName, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        // Hunter takes a domain or a company name, and prefers the domain when it has both.
        var path = $"v2/domain-search?domain={Uri.EscapeDataString(domain)}&company={Uri.EscapeDataString(companyName)}&limit={Limit}"
            + $"&api_key={Uri.EscapeDataString(options.Value.ApiKey!)}";
        using var response = await client.GetAsync(path, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Forbidden:
                throw new HttpRequestException("Hunter rate limit reached (403); the job will try again.", null, response.StatusCode);
            case HttpStatusCode.TooManyRequests:
                throw new NonRetryableJobException("Hunter usage limit reached (429): the plan's monthly searches are used up.");
        }

        await IntegrationHttp.EnsureSuccessAsync(response, "Hunter domain search", EmailFinderOptions.Section, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<DomainSearchResponse>(Json, cancellationToken);
        var best = (body?.Data?.Emails ?? [])
            .Where(e => !string.IsNullOrWhiteSpace(e.Value))
            .OrderByDescending(e => e.Confidence ?? 0)
            .FirstOrDefault();
        // Searches that return no address are not billed.
        return best is null
            ? new EmailFinding(null, null, 0m)
            : new EmailFinding(best.Value, best.Confidence, prices.Value.EmailFinder);
    }

    private sealed record DomainSearchResponse(DomainSearchData? Data);

    private sealed record DomainSearchData(string? Domain, string? Organization, IReadOnlyList<HunterEmail>? Emails);

    private sealed record HunterEmail(string? Value, string? Type, int? Confidence);
}
