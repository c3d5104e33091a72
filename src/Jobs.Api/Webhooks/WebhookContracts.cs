using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Webhooks;

namespace Jobs.Api.Webhooks;

/// <summary>The body of <c>POST /api/webhooks</c>; any other member lands in <see cref="Unknown"/> and is refused.</summary>
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
    DateTimeOffset UpdatedAt)
{
    public static WebhookResponse From(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.Events, e.JobTypes, e.Enabled, e.DisabledReason, e.DisabledAt, e.ConsecutiveFailures,
            e.FailingSince, e.PreviousSecretExpiresAt, e.CreatedAt, e.UpdatedAt);
}

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Items);

/// <summary>An endpoint just made or rotated; <see cref="Secret"/> is in this response only.</summary>
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
    IReadOnlyList<WebhookAttemptResponse> AttemptLog)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) =>
        new(d.Id, d.Event, d.JobId, d.Status, d.Attempts, d.NextAttemptAt, d.CreatedAt, d.CompletedAt,
            [.. d.AttemptLog.Select(a => new WebhookAttemptResponse(a.Attempt, a.StartedAt, a.DurationMs, a.StatusCode, a.Error, a.ResponseBody))]);
}

public sealed record WebhookDeliveryListResponse(IReadOnlyList<WebhookDeliveryResponse> Items, string? NextCursor);
