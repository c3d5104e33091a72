using System.ComponentModel.DataAnnotations;

namespace Jobs.Worker.Integrations;

/// <summary>
/// The settings every external service shares: which provider runs (<see cref="Simulated"/>, the default, or the
/// real service), its API key and its base address. Validated at start-up, so a real provider without a key stops the
/// worker with a message saying which key to set, rather than failing every job later.
/// </summary>
public abstract class IntegrationProvider : IValidatableObject
{
    /// <summary>Deterministic fake data, no network: the default, and what results are labelled with.</summary>
    public const string Simulated = "simulated";

    /// <summary>Which implementation runs: <see cref="Simulated"/> or the name of the real service.</summary>
    public string Provider { get; set; } = Simulated;

    /// <summary>The real service's API key; required when <see cref="Provider"/> is not <see cref="Simulated"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The real service's base address; tests point it at a local stub.</summary>
    public Uri BaseUrl { get; set; }

    protected IntegrationProvider(Uri defaultBaseUrl) => BaseUrl = defaultBaseUrl;

    /// <summary>The configuration section, for messages that tell which key to set.</summary>
    protected abstract string SectionName { get; }

    /// <summary>The name of the real service's provider, such as <c>google</c>.</summary>
    protected abstract string RealProvider { get; }

    public bool IsSimulated => string.Equals(Provider, Simulated, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsSimulated && !string.Equals(Provider, RealProvider, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"{SectionName}:Provider is '{Provider}'; it must be '{Simulated}' or '{RealProvider}'.", [nameof(Provider)]);
        }
        else if (!IsSimulated && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new ValidationResult(
                $"{SectionName}:ApiKey is required when {SectionName}:Provider is '{RealProvider}'. Set it, or set the provider to '{Simulated}'.",
                [nameof(ApiKey)]);
        }

        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult($"{SectionName}:BaseUrl must be an absolute http(s) address.", [nameof(BaseUrl)]);
        }
    }
}
