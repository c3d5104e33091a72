namespace Jobs.Core.Webhooks;

/// <summary>
/// A registered endpoint as its workspace's admins see it: never its secret. <see cref="DisabledReason"/> says why a
/// disabled endpoint stopped (an admin, a 410 Gone, persistent failure); <see cref="PreviousSecretExpiresAt"/> is the
/// end of a rotation's overlap, while the old secret still signs.
/// </summary>
public sealed record WebhookEndpoint(
    Guid Id,
    string Url,
    string? Description,
    IReadOnlyList<string> Events,
    IReadOnlyList<string>? JobTypes,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    int ConsecutiveFailures,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>What an admin asks to register; the URL has passed the address rules.</summary>
public sealed record WebhookEndpointCreateParams(string Url, string? Description, IReadOnlyList<string> Events, IReadOnlyList<string>? JobTypes);

/// <summary>
/// A change to an endpoint; null members stay as they are. An empty <see cref="JobTypes"/> removes the filter.
/// Enabling clears the disabled reason and the failure count; disabling records an admin's reason.
/// </summary>
public sealed record WebhookEndpointUpdateParams(string? Url, string? Description, IReadOnlyList<string>? Events, IReadOnlyList<string>? JobTypes, bool? Enabled);

/// <summary>An endpoint just made or rotated, with <see cref="Secret"/>: the only time it leaves the database.</summary>
public sealed record WebhookEndpointWithSecret(WebhookEndpoint Endpoint, string Secret);

/// <summary>Why <see cref="IWebhookStore.EndpointCreateAsync"/> made nothing: the workspace has its maximum already.</summary>
public sealed class WebhookEndpointLimitException(int max) : Exception($"The workspace already has {max} webhook endpoints.")
{
    public int Max { get; } = max;
}
