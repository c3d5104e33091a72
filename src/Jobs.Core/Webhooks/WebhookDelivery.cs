namespace Jobs.Core.Webhooks;

/// <summary>One event for one endpoint, as the delivery log shows it, with every attempt so far (oldest first).</summary>
public sealed record WebhookDelivery(
    Guid Id,
    Guid EndpointId,
    string Event,
    Guid JobId,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<WebhookAttempt> AttemptLog);

/// <summary>One attempt: the answer's status code (none if no answer came), how long it took, and what went wrong.</summary>
public sealed record WebhookAttempt(int Attempt, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string? Error, string? ResponseBody);

/// <summary>
/// A delivery a worker has claimed for one attempt (<see cref="Attempt"/>, its fence), with what it needs to sign and
/// send it. Holds the endpoint's secrets: never log it.
/// </summary>
public sealed record WebhookDispatch(
    Guid DeliveryId,
    Guid EndpointId,
    Guid WorkspaceId,
    string Url,
    string Body,
    int Attempt,
    string Secret,
    string? PreviousSecret)
{
    /// <summary>No secrets in logs or exception messages, even by accident.</summary>
    public override string ToString() => $"WebhookDispatch {{ DeliveryId = {DeliveryId}, EndpointId = {EndpointId}, Attempt = {Attempt} }}";
}

/// <summary>What an attempt came to: <see cref="NextAttemptAt"/> null ends the delivery (succeeded or failed).</summary>
public sealed record WebhookAttemptOutcome(
    bool Succeeded,
    DateTimeOffset StartedAt,
    int DurationMs,
    int? StatusCode,
    string? Error,
    string? ResponseBody,
    DateTimeOffset? NextAttemptAt);

/// <summary>The endpoint's failure streak after an attempt was recorded; null fields when the attempt's fence no longer held.</summary>
public sealed record WebhookEndpointHealth(int ConsecutiveFailures, DateTimeOffset? FailingSince, bool Enabled);
