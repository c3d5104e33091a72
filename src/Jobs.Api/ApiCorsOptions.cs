using System.ComponentModel.DataAnnotations;

namespace Jobs.Api;

/// <summary>
/// Which browser origins may call the API (section <c>Api:Cors</c>), for front ends on another host than the API.
/// None by default: a deployment lists its own (e.g. <c>Api__Cors__AllowedOrigins__0=https://app.example.com</c>).
/// Credentials stay off: the API authenticates by key or stream token, never by cookie, so a browser never has to
/// send cookies to it, and a page of another origin can never ride on them.
/// </summary>
public sealed class ApiCorsOptions : IValidatableObject
{
    public const string Section = "Api:Cors";
    public const string PolicyName = "browser-clients";

    /// <summary>Exact origins (<c>scheme://host[:port]</c>, no path); <c>*</c> is refused, as it would hide a mistake.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser may reuse a preflight's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
            {
                yield return new ValidationResult(
                    $"'{origin}' is not an origin: give scheme, host and port only, e.g. https://app.example.com.", [nameof(AllowedOrigins)]);
            }
        }
    }
}
