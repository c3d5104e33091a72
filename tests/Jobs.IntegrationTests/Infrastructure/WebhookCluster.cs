using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Webhooks;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// Webhook settings for tests: only 127.0.0.1 (as written in a URL) may receive, so a local receiver works while
/// <c>localhost</c> and private addresses are refused as in production; retries, timeout and auto-disable in
/// fractions of a second.
/// </summary>
public static class WebhookCluster
{
    public static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(300)];

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        ["Webhooks:RetryDelays:0"] = RetryDelays[0].ToString(),
        ["Webhooks:RetryDelays:1"] = RetryDelays[1].ToString(),
        ["Webhooks:RetryDelays:2"] = RetryDelays[2].ToString(),
        ["Webhooks:AttemptTimeout"] = "00:00:01",
        ["Webhooks:PollInterval"] = "00:00:00.050",
        ["Webhooks:DisableAfterFailures"] = "3",
        ["Webhooks:DisableAfterFailingFor"] = "00:00:00",
        ["Webhooks:MaxEndpointsPerWorkspace"] = "5",
    };

    /// <summary>Registers an endpoint and returns its id and secret; fails the test on anything but 201.</summary>
    public static async Task<(Guid Id, string Secret)> CreateWebhookAsync(this HttpClient client, Uri url, string[]? events = null, string[]? jobTypes = null)
    {
        var (status, body) = await client.PostAsync("/api/webhooks", new { url, events = events ?? ["job.completed", "job.failed"], jobTypes });
        status.ShouldBe(HttpStatusCode.Created, body.ToString());
        var created = body.Deserialize<WebhookWithSecretResponse>(JsonSerializerOptions.Web).ShouldNotBeNull();
        return (created.Webhook.Id, created.Secret);
    }

    public static async Task<WebhookResponse> GetWebhookAsync(this HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<WebhookResponse>($"/api/webhooks/{id}"))!;

    public static async Task<JsonElement[]> GetDeliveriesAsync(this HttpClient client, Guid id) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/api/webhooks/{id}/deliveries")).GetProperty("items").EnumerateArray()];
}
