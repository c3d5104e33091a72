using System.Net;
using System.Text.Json;
using Jobs.Contracts.Webhooks;
using Jobs.Core.Identity;
using Jobs.Core.Webhooks;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>
/// Webhooks end to end (docs/design.md, "Webhooks"): a job's final status reaches a real HTTP receiver, signed to
/// Standard Webhooks, at least once with one webhook-id across retries that follow the schedule; slow, failing and
/// gone receivers; rotation; and a host that resolves to loopback refused at send time.
/// </summary>
public sealed class WebhookDeliveryTests(Servers servers) : IAsyncLifetime
{
    private TestCluster cluster = null!;
    private WebhookReceiver receiver = null!;

    public async ValueTask InitializeAsync()
    {
        cluster = await TestCluster.StartAsync(servers, workers: 1, overrides: WebhookCluster.Settings);
        receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await receiver.DisposeAsync();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task ACompletedJob_IsDeliveredSigned_AtLeastOnce_WithOneWebhookIdAcrossRetries_AfterTheBackoff()
    {
        var (client, _) = await cluster.CreateWorkspaceClientAsync();
        var (webhookId, secret) = await client.CreateWebhookAsync(receiver.Url);
        receiver.Secrets.Add(secret);
        receiver.FailFirst = 2;

        var jobId = await client.SubmitDemoAsync(items: 1);
        await client.WaitForStatusAsync(jobId, "completed");
        await receiver.WaitForAsync(3);

        var received = receiver.Received;
        received.Select(r => r.Id).Distinct().ShouldHaveSingleItem();
        received.ShouldAllBe(r => r.VerifiedSecrets.Count == 1 && r.SignatureCount == 1);
        received.ShouldAllBe(r => Math.Abs(r.Timestamp - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) < 60);
        received.Select(r => r.Body).Distinct().ShouldHaveSingleItem();
        (received[1].At - received[0].At).ShouldBeGreaterThanOrEqualTo(WebhookCluster.RetryDelays[0] - TimeSpan.FromMilliseconds(20));
        (received[2].At - received[1].At).ShouldBeGreaterThanOrEqualTo(WebhookCluster.RetryDelays[1] - TimeSpan.FromMilliseconds(20));

        using var body = JsonDocument.Parse(received[0].Body);
        body.RootElement.GetProperty("type").GetString().ShouldBe("job.completed");
        var data = body.RootElement.GetProperty("data");
        (data.GetProperty("id").GetGuid(), data.GetProperty("type").GetString(), data.GetProperty("status").GetString()).ShouldBe((jobId, "demo", "completed"));
        data.TryGetProperty("result", out _).ShouldBeTrue();

        await Eventually.TrueAsync(async () => (await client.GetDeliveriesAsync(webhookId)).Single().GetProperty("status").GetString() == "succeeded", "the delivery to succeed");
        var delivery = (await client.GetDeliveriesAsync(webhookId)).Single();
        delivery.GetProperty("id").GetString().ShouldBe(received[0].Id);
        delivery.GetProperty("attempts").GetInt32().ShouldBe(3);
        delivery.GetProperty("attemptLog").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()).ShouldBe([500, 500, 200]);

        // A manual redelivery sends the same message (same webhook-id) once more.
        var (status, _) = await client.PostAsync($"/api/webhooks/{webhookId}/deliveries/{received[0].Id}/redeliver");
        status.ShouldBe(HttpStatusCode.Accepted);
        await receiver.WaitForAsync(4);
        receiver.Received[3].Id.ShouldBe(received[0].Id);
    }

    [Fact]
    public async Task ASlowReceiver_TimesOut_AndAnEndpointFailingPersistently_IsDisabledWithAReason_AndAnAuditEvent()
    {
        var (client, _) = await cluster.CreateWorkspaceClientAsync();
        var (webhookId, secret) = await client.CreateWebhookAsync(receiver.Url);
        receiver.Secrets.Add(secret);
        receiver.Delay = TimeSpan.FromSeconds(3);

        await client.SubmitDemoAsync(items: 1);
        await Eventually.TrueAsync(async () => !(await client.GetWebhookAsync(webhookId)).Enabled,
            "the endpoint to be disabled", TimeSpan.FromSeconds(30));

        var endpoint = await client.GetWebhookAsync(webhookId);
        endpoint.DisabledReason.ShouldNotBeNull().ShouldContain("3 attempts in a row failed");
        endpoint.DisabledReason.ShouldContain("No answer within 1 s");
        var delivery = (await client.GetDeliveriesAsync(webhookId)).Single();
        delivery.GetProperty("attemptLog").EnumerateArray().ShouldAllBe(a => a.GetProperty("error").GetString()!.StartsWith("No answer within"));
        delivery.GetProperty("status").GetString().ShouldBe("pending");
        var audit = await client.GetAsync("/api/audit");
        (await audit.Content.ReadAsStringAsync()).ShouldContain(AuditActions.WebhookDisabled);

        // A disabled endpoint takes no redelivery until it is enabled again.
        var (status, problem) = await client.PostAsync($"/api/webhooks/{webhookId}/deliveries/{delivery.GetProperty("id").GetString()}/redeliver");
        (status, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "webhook_disabled"));
    }

    [Fact]
    public async Task A410Gone_DisablesTheEndpointAtOnce()
    {
        var (client, _) = await cluster.CreateWorkspaceClientAsync();
        var (webhookId, _) = await client.CreateWebhookAsync(receiver.Url);
        receiver.FailFirst = 1;
        receiver.FailWith = 410;

        await client.SubmitDemoAsync(items: 1);
        await Eventually.TrueAsync(async () => !(await client.GetWebhookAsync(webhookId)).Enabled, "the endpoint to be disabled");

        (await client.GetWebhookAsync(webhookId)).DisabledReason.ShouldBe("The endpoint answered 410 Gone.");
        await Task.Delay(WebhookCluster.RetryDelays[0] * 3);
        receiver.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task DuringARotationsOverlap_BothSecretsSign()
    {
        var (client, _) = await cluster.CreateWorkspaceClientAsync();
        var (webhookId, oldSecret) = await client.CreateWebhookAsync(receiver.Url, ["job.failed"]);
        var (status, rotated) = await client.PostAsync($"/api/webhooks/{webhookId}/rotate-secret");
        status.ShouldBe(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        newSecret.ShouldNotBe(oldSecret);
        rotated.GetProperty("webhook").GetProperty("previousSecretExpiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(23));
        receiver.Secrets.Add(oldSecret);
        receiver.Secrets.Add(newSecret);

        var jobId = await client.SubmitAsync(new { type = "test.fail-permanently", payload = new { } });
        await client.WaitForStatusAsync(jobId, "failed");
        await receiver.WaitForAsync(1);

        var received = receiver.Received.ShouldHaveSingleItem();
        received.SignatureCount.ShouldBe(2);
        received.VerifiedSecrets.ShouldBe([oldSecret, newSecret], ignoreOrder: true);
        JsonDocument.Parse(received.Body).RootElement.GetProperty("type").GetString().ShouldBe("job.failed");
    }

    [Fact]
    public async Task AHostThatResolvesToLoopback_IsRefusedAtSendTime_AndNothingIsSent()
    {
        var (client, caller) = await cluster.CreateWorkspaceClientAsync();
        // As if DNS changed after registration: the endpoint is stored as registered, then its host resolves to 127.0.0.1.
        var sneaky = new UriBuilder(receiver.Url) { Host = "localhost" }.Uri;
        var created = await cluster.Api.Services.GetRequiredService<IWebhookStore>().EndpointCreateAsync(caller,
            new WebhookEndpointCreateParams(sneaky.ToString(), null, [WebhookEvents.JobCompleted], null), 20, CancellationToken.None);

        await client.SubmitDemoAsync(items: 1);
        await Eventually.TrueAsync(async () => (await client.GetDeliveriesAsync(created.Endpoint.Id)) is [var d]
            && d.GetProperty("attemptLog").GetArrayLength() > 0, "a refused attempt");

        var attempt = (await client.GetDeliveriesAsync(created.Endpoint.Id)).Single().GetProperty("attemptLog")[0];
        attempt.GetProperty("error").GetString()!.ShouldContain("loopback");
        (!attempt.TryGetProperty("statusCode", out var code) || code.ValueKind == JsonValueKind.Null).ShouldBeTrue();
        receiver.Received.ShouldBeEmpty();
    }
}
