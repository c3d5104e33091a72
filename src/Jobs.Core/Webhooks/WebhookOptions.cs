using System.ComponentModel.DataAnnotations;

namespace Jobs.Core.Webhooks;

/// <summary>
/// Settings of webhooks (section <c>Webhooks</c>), validated at start-up. The API reads the registration rules, the
/// workers the delivery ones; the address rules are read by both (docs/operations.md, "Webhooks"), so give every
/// service the same values.
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>The default retry schedule: eleven attempts over about a day.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4),
        TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    /// <summary>
    /// Lets endpoints resolve to loopback, private, link-local and other non-public addresses: for Development and
    /// local receivers only. Off, such addresses are refused at registration and again when sending.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Hosts (exactly as in the URL, e.g. <c>hooks.internal</c> or <c>127.0.0.1</c>) allowed whatever they resolve to.</summary>
    public string[]? AllowedHosts { get; set; }

    [Range(1, 1000)]
    public int MaxEndpointsPerWorkspace { get; set; } = 20;

    /// <summary>How long the secret before a rotation keeps signing beside the new one.</summary>
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one attempt may take, connecting and reading the answer included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The wait before each retry (the n-th entry after the n-th failed attempt), plus up to 20 % jitter; the delivery
    /// fails after the last. Null uses <see cref="DefaultRetryDelays"/>.
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>An endpoint is disabled after this many failed attempts in a row…</summary>
    [Range(1, 100_000)]
    public int DisableAfterFailures { get; set; } = 15;

    /// <summary>…when its first failure in that row is at least this old.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often an idle dispatcher looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries one worker sends at once.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 16;

    /// <summary>Finished deliveries (and their attempts) are deleted this long after they ended; zero keeps them.</summary>
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    public IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("AttemptTimeout must be positive and at most 5 minutes.", [nameof(AttemptTimeout)]);
        }

        if (PollInterval <= TimeSpan.Zero || SecretRotationOverlap < TimeSpan.Zero || DisableAfterFailingFor < TimeSpan.Zero || DeliveryRetention < TimeSpan.Zero)
        {
            yield return new ValidationResult("PollInterval must be positive; SecretRotationOverlap, DisableAfterFailingFor and DeliveryRetention not negative.");
        }

        if (RetryDelays?.Any(d => d < TimeSpan.Zero) == true)
        {
            yield return new ValidationResult("RetryDelays must not be negative.", [nameof(RetryDelays)]);
        }
    }
}
