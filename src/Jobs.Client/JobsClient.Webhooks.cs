using Jobs.Contracts.Webhooks;

namespace Jobs.Client;

/// <summary>The workspace's webhook endpoints and their delivery logs (docs/api.md, "Webhooks"; admin only: a member gets 403).</summary>
public sealed partial class JobsClient
{
    public async Task<IReadOnlyList<WebhookResponse>> ListWebhooksAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync<WebhookListResponse>("api/webhooks", cancellationToken)).Items;

    /// <returns>The endpoint, or null when the workspace has no such endpoint.</returns>
    public Task<WebhookResponse?> GetWebhookAsync(Guid id, CancellationToken cancellationToken = default) =>
        OrNullAsync(ReadAsync<WebhookResponse>($"api/webhooks/{id}", cancellationToken));

    /// <summary>The endpoint and its signing secret, which is shown this once.</summary>
    /// <exception cref="JobsValidationException">The failing fields (an address the policy refuses, an unknown event).</exception>
    /// <exception cref="JobsConflictException"><c>webhook_limit_reached</c>.</exception>
    public Task<WebhookWithSecretResponse> CreateWebhookAsync(CreateWebhookRequest webhook, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookWithSecretResponse>(HttpMethod.Post, "api/webhooks", webhook, cancellationToken);

    /// <summary>Null members stay as they are; an empty job type list means every type.</summary>
    public Task<WebhookResponse> UpdateWebhookAsync(Guid id, UpdateWebhookRequest changes, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookResponse>(HttpMethod.Patch, $"api/webhooks/{id}", changes, cancellationToken);

    public Task DeleteWebhookAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/webhooks/{id}", null, cancellationToken);

    /// <summary>A new signing secret; the old one stops signing at once.</summary>
    public Task<WebhookWithSecretResponse> RotateWebhookSecretAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookWithSecretResponse>(HttpMethod.Post, $"api/webhooks/{id}/rotate-secret", null, cancellationToken);

    /// <summary>One page of the endpoint's deliveries, newest first, each with its attempts.</summary>
    public Task<WebhookDeliveryListResponse> ListWebhookDeliveriesAsync(Guid id, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ReadAsync<WebhookDeliveryListResponse>(WithQuery($"api/webhooks/{id}/deliveries", ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <exception cref="JobsConflictException"><c>webhook_disabled</c>.</exception>
    public Task<WebhookDeliveryResponse> RedeliverWebhookAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken = default) =>
        SendAsync<WebhookDeliveryResponse>(HttpMethod.Post, $"api/webhooks/{id}/deliveries/{deliveryId}/redeliver", null, cancellationToken);
}
