using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Webhooks;

/// <summary>The body of <c>POST /api/webhooks</c>; any other member is refused.</summary>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events, IReadOnlyList<string>? JobTypes, string? Description)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>
/// The body of <c>PATCH /api/webhooks/{id}</c>: members left out stay as they are; <c>jobTypes: []</c> removes the type
/// filter, <c>description: ""</c> the description; <c>enabled: true</c> re-enables a disabled endpoint.
/// </summary>
public sealed record UpdateWebhookRequest(string? Url, IReadOnlyList<string>? Events, IReadOnlyList<string>? JobTypes, string? Description, bool? Enabled)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>An endpoint as listed: never its secret. <c>disabledReason</c> says why a disabled endpoint stopped.</summary>
public sealed record WebhookResponse(
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

/// <summary>The workspace's endpoints, unpaged.</summary>
public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Items);

/// <summary>An endpoint just made or rotated; <c>secret</c> is in this response only.</summary>
public sealed record WebhookWithSecretResponse(WebhookResponse Webhook, string Secret);

/// <summary>One attempt of a delivery: the answer's status code (none when no answer came), duration and error.</summary>
public sealed record WebhookAttemptResponse(int Attempt, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string? Error, string? ResponseBody);

/// <summary>One event sent (or to be sent) to an endpoint; <c>id</c> is its <c>webhook-id</c> header.</summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    string Event,
    Guid JobId,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<WebhookAttemptResponse> AttemptLog);

/// <summary>A page of an endpoint's deliveries, newest first; <c>nextCursor</c> reads the older ones.</summary>
public sealed record WebhookDeliveryListResponse(IReadOnlyList<WebhookDeliveryResponse> Items, string? NextCursor);
