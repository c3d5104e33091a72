using Jobs.Contracts.Webhooks;

namespace Jobs.Web.Api;

/// <summary>The workspace's webhook endpoints and their delivery logs (admin-only: a member gets 403).</summary>
public sealed partial class JobsApiClient
{
    public async Task<IReadOnlyList<WebhookResponse>> ListWebhooksAsync(CancellationToken cancellationToken) =>
        (await SendAsync<WebhookListResponse>(HttpMethod.Get, "/api/webhooks", null, cancellationToken)).Items;

    /// <returns>The endpoint, or null when the workspace has no such endpoint.</returns>
    public async Task<WebhookResponse?> GetWebhookAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<WebhookResponse>(HttpMethod.Get, $"/api/webhooks/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <exception cref="ApiProblemException">400 with the failing fields, 409 <c>webhook_limit_reached</c>.</exception>
    public Task<WebhookWithSecretResponse> CreateWebhookAsync(CreateWebhookRequest request, CancellationToken cancellationToken) =>
        SendAsync<WebhookWithSecretResponse>(HttpMethod.Post, "/api/webhooks", Json(request), cancellationToken);

    /// <exception cref="ApiProblemException">400 with the failing fields, 404.</exception>
    /// <summary>Null members stay as they are; an empty job type list means every type.</summary>
    public Task<WebhookResponse> UpdateWebhookAsync(Guid id, UpdateWebhookRequest request, CancellationToken cancellationToken) =>
        SendAsync<WebhookResponse>(HttpMethod.Patch, $"/api/webhooks/{id}", Json(request), cancellationToken);

    public Task DeleteWebhookAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/webhooks/{id}"), cancellationToken);

    public Task<WebhookWithSecretResponse> RotateWebhookSecretAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<WebhookWithSecretResponse>(HttpMethod.Post, $"/api/webhooks/{id}/rotate-secret", null, cancellationToken);

    public Task<WebhookDeliveryListResponse> ListWebhookDeliveriesAsync(Guid id, string? cursor, CancellationToken cancellationToken) =>
        SendAsync<WebhookDeliveryListResponse>(HttpMethod.Get,
            $"/api/webhooks/{id}/deliveries?limit=25{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", null, cancellationToken);

    /// <exception cref="ApiProblemException">409 <c>webhook_disabled</c>, 404.</exception>
    public Task<WebhookDeliveryResponse> RedeliverWebhookAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken) =>
        SendAsync<WebhookDeliveryResponse>(HttpMethod.Post, $"/api/webhooks/{id}/deliveries/{deliveryId}/redeliver", null, cancellationToken);
}
