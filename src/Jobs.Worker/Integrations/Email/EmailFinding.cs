namespace Jobs.Worker.Integrations.Email;

/// <summary>
/// The best address found for a domain (null when none was), the provider's confidence in it (0–100), and what the
/// search cost in USD.
/// </summary>
public sealed record EmailFinding(string? Email, int? Confidence, decimal Cost);
