namespace Jobs.Worker.Integrations.Email;

/// <summary>
/// A verification's outcome: <see cref="Status"/> is one of <see cref="EmailStatus"/>; <see cref="ProviderResult"/> is
/// the provider's own word for it (NeverBounce's <c>valid</c>, <c>catchall</c>…); <see cref="Cost"/> is in USD.
/// </summary>
public sealed record EmailVerification(string Status, string ProviderResult, decimal Cost);
