using Jobs.Contracts.Webhooks;
using Jobs.Core.Webhooks;

namespace Jobs.Api.Webhooks;

/// <summary>How the API shows an endpoint and a delivery: the contract records made from the store's rows.</summary>
public static class WebhookResponses
{
    extension(WebhookResponse)
    {
        public static WebhookResponse From(WebhookEndpoint e) =>
            new(e.Id, e.Url, e.Description, e.Events, e.JobTypes, e.Enabled, e.DisabledReason, e.DisabledAt, e.ConsecutiveFailures,
                e.FailingSince, e.PreviousSecretExpiresAt, e.CreatedAt, e.UpdatedAt);
    }

    extension(WebhookDeliveryResponse)
    {
        public static WebhookDeliveryResponse From(WebhookDelivery d) =>
            new(d.Id, d.Event, d.JobId, d.Status, d.Attempts, d.NextAttemptAt, d.CreatedAt, d.CompletedAt,
                [.. d.AttemptLog.Select(a => new WebhookAttemptResponse(a.Attempt, a.StartedAt, a.DurationMs, a.StatusCode, a.Error, a.ResponseBody))]);
    }
}
