using Jobs.Core.Identity;

namespace Jobs.Core.Webhooks;

/// <summary>
/// Webhook endpoints, their deliveries and attempts (docs/design.md, "Webhooks"). Everything an admin does is scoped to
/// the caller's workspace: another workspace's endpoint or delivery is not found. The dispatch methods are the
/// workers', across workspaces.
/// </summary>
public interface IWebhookStore
{
    Task<IReadOnlyList<WebhookEndpoint>> EndpointListAsync(Guid workspaceId, CancellationToken cancellationToken);

    Task<WebhookEndpoint?> EndpointGetAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken);

    /// <summary>Registers an endpoint with a new secret; audited.</summary>
    /// <exception cref="WebhookEndpointLimitException">The workspace has <paramref name="maxEndpoints"/> already.</exception>
    Task<WebhookEndpointWithSecret> EndpointCreateAsync(Caller caller, WebhookEndpointCreateParams endpoint, int maxEndpoints, CancellationToken cancellationToken);

    /// <returns>The endpoint as changed, or null when the workspace has no such endpoint.</returns>
    Task<WebhookEndpoint?> EndpointUpdateAsync(Caller caller, Guid id, WebhookEndpointUpdateParams changes, CancellationToken cancellationToken);

    /// <summary>Deletes the endpoint with its deliveries; audited.</summary>
    Task<bool> EndpointDeleteAsync(Caller caller, Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// A new secret; the current one keeps signing beside it for <paramref name="overlap"/> (replacing any older one
    /// still in its overlap). Audited.
    /// </summary>
    Task<WebhookEndpointWithSecret?> EndpointRotateSecretAsync(Caller caller, Guid id, TimeSpan overlap, CancellationToken cancellationToken);

    /// <summary>Disables an enabled endpoint on the platform's behalf (410 Gone, persistent failure), with an audit event.</summary>
    Task<bool> EndpointDisableAsync(Guid id, string reason, CancellationToken cancellationToken);

    /// <summary>The endpoint's deliveries, newest first, from before <paramref name="before"/> (a delivery id).</summary>
    /// <returns>Null when the workspace has no such endpoint.</returns>
    Task<IReadOnlyList<WebhookDelivery>?> DeliveryListAsync(Guid workspaceId, Guid endpointId, int limit, Guid? before, CancellationToken cancellationToken);

    /// <summary>Makes the delivery due now, whatever its status; its id (the <c>webhook-id</c>) and log stay.</summary>
    /// <returns>The delivery, or null when the workspace's endpoint has no such delivery.</returns>
    Task<WebhookDelivery?> DeliveryRedeliverAsync(Guid workspaceId, Guid endpointId, Guid deliveryId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of enabled endpoints for one attempt each (skipping rows
    /// another worker is claiming): each one's attempt count rises, and it is due again after
    /// <paramref name="lease"/> in case this worker dies before recording the attempt.
    /// </summary>
    Task<IReadOnlyList<WebhookDispatch>> DispatchClaimAsync(int limit, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Records a claimed attempt's outcome if the delivery is still at that attempt and pending, and updates the
    /// endpoint's failure streak.
    /// </summary>
    /// <returns>The endpoint's streak after the attempt, or null when the fence no longer held (nothing was written).</returns>
    Task<WebhookEndpointHealth?> DispatchRecordAsync(WebhookDispatch dispatch, WebhookAttemptOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Deletes deliveries that ended before <paramref name="endedBefore"/>, at most <paramref name="limit"/>.</summary>
    Task<int> DeliveryDeleteFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken);
}
