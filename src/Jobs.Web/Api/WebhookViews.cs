namespace Jobs.Web.Api;

/// <summary>
/// A webhook endpoint as <c>GET /api/webhooks</c> lists it: never its secret. A disabled endpoint says why
/// (<see cref="DisabledReason"/>): an admin, a 410 Gone, or persistent failure.
/// </summary>
public sealed record WebhookView(
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

/// <summary>The answer to create and rotate: the only time the signing secret is shown.</summary>
public sealed record WebhookWithSecret(WebhookView Webhook, string Secret);

/// <summary>What the form sends; on an update, null members stay as they are and an empty job type list means every type.</summary>
public sealed record WebhookForm(string? Url, IReadOnlyList<string>? Events, IReadOnlyList<string>? JobTypes, string? Description, bool? Enabled);

public sealed record WebhookAttemptView(int Attempt, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string? Error, string? ResponseBody);

/// <summary>One event for one endpoint with its attempts; <see cref="Id"/> is the <c>webhook-id</c> receivers see.</summary>
public sealed record WebhookDeliveryView(
    Guid Id,
    string Event,
    Guid JobId,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<WebhookAttemptView> AttemptLog);

public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryView> Items, string? NextCursor);
