namespace Jobs.Web.Api;

/// <summary>The workspace's webhook endpoints and their delivery logs (admin-only: a member gets 403).</summary>
public sealed partial class JobsApiClient
{
    public async Task<IReadOnlyList<WebhookView>> ListWebhooksAsync(CancellationToken cancellationToken) =>
        (await SendAsync<ItemList<WebhookView>>(HttpMethod.Get, "/api/webhooks", null, cancellationToken)).Items;

    /// <returns>The endpoint, or null when the workspace has no such endpoint.</returns>
    public async Task<WebhookView?> GetWebhookAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<WebhookView>(HttpMethod.Get, $"/api/webhooks/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <exception cref="ApiProblemException">400 with the failing fields, 409 <c>webhook_limit_reached</c>.</exception>
    public Task<WebhookWithSecret> CreateWebhookAsync(WebhookForm form, CancellationToken cancellationToken) =>
        SendAsync<WebhookWithSecret>(HttpMethod.Post, "/api/webhooks", Json(new { form.Url, form.Events, form.JobTypes, form.Description }), cancellationToken);

    /// <exception cref="ApiProblemException">400 with the failing fields, 404.</exception>
    public Task<WebhookView> UpdateWebhookAsync(Guid id, WebhookForm form, CancellationToken cancellationToken) =>
        SendAsync<WebhookView>(HttpMethod.Patch, $"/api/webhooks/{id}", Json(form), cancellationToken);

    public Task DeleteWebhookAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/webhooks/{id}"), cancellationToken);

    public Task<WebhookWithSecret> RotateWebhookSecretAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<WebhookWithSecret>(HttpMethod.Post, $"/api/webhooks/{id}/rotate-secret", null, cancellationToken);

    public Task<WebhookDeliveryPage> ListWebhookDeliveriesAsync(Guid id, string? cursor, CancellationToken cancellationToken) =>
        SendAsync<WebhookDeliveryPage>(HttpMethod.Get,
            $"/api/webhooks/{id}/deliveries?limit=25{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", null, cancellationToken);

    /// <exception cref="ApiProblemException">409 <c>webhook_disabled</c>, 404.</exception>
    public Task<WebhookDeliveryView> RedeliverWebhookAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken) =>
        SendAsync<WebhookDeliveryView>(HttpMethod.Post, $"/api/webhooks/{id}/deliveries/{deliveryId}/redeliver", null, cancellationToken);
}
