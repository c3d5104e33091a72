using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Webhooks;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// The webhook endpoints API (docs/api.md, "Webhooks"): bad input answers problem details naming the field, addresses
/// that are not public are refused at registration, the workspace's cap holds, the secret is shown only at create and
/// rotate, and another workspace's endpoint is not found.
/// </summary>
public sealed class WebhookEndpointsTests(Servers servers) : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async ValueTask InitializeAsync() => cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: WebhookCluster.Settings);

    public async ValueTask DisposeAsync() => await cluster.DisposeAsync();

    [Theory]
    [InlineData("""{"events":["job.completed"]}""", "url", "is required")]
    [InlineData("""{"url":"hooks.example.com/in","events":["job.completed"]}""", "url", "absolute http or https")]
    [InlineData("""{"url":"ftp://hooks.example.com/in","events":["job.completed"]}""", "url", "not 'ftp'")]
    [InlineData("""{"url":"https://user:pw@hooks.example.com/in","events":["job.completed"]}""", "url", "user name or password")]
    [InlineData("""{"url":"https://127.0.0.1/in"}""", "events", "at least one")]
    [InlineData("""{"url":"https://127.0.0.1/in","events":[]}""", "events", "at least one")]
    [InlineData("""{"url":"https://127.0.0.1/in","events":["job.started"]}""", "events", "'job.started' is not an event")]
    [InlineData("""{"url":"https://127.0.0.1/in","events":["job.failed"],"jobTypes":[""]}""", "jobTypes", "1 to 200 characters")]
    [InlineData("""{"url":"https://127.0.0.1/in","events":["job.failed"],"secret":"mine"}""", "secret", "not a known field")]
    [InlineData("""{"url":"http://localhost:8080/in","events":["job.failed"]}""", "url", "loopback")]
    [InlineData("""{"url":"http://[::1]/in","events":["job.failed"]}""", "url", "loopback")]
    [InlineData("""{"url":"http://10.1.2.3/in","events":["job.failed"]}""", "url", "private")]
    [InlineData("""{"url":"http://192.168.0.10/in","events":["job.failed"]}""", "url", "private")]
    [InlineData("""{"url":"http://169.254.169.254/latest/meta-data","events":["job.failed"]}""", "url", "link-local")]
    [InlineData("""{"url":"http://[fd00::1]/in","events":["job.failed"]}""", "url", "unique-local")]
    [InlineData("""{"url":"http://0.0.0.0/in","events":["job.failed"]}""", "url", "unspecified")]
    [InlineData("""{"url":"http://224.0.0.1/in","events":["job.failed"]}""", "url", "multicast")]
    public async Task BadInput_IsRefused_WithAProblemNamingTheField(string json, string field, string reason)
    {
        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/webhooks", json);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldContain(reason, Case.Insensitive);
        (await cluster.Client.GetFromJsonAsync<WebhookListResponse>("/api/webhooks"))!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnEndpoint_IsListedChangedAndDeleted_WithoutItsSecret_AndTheCapHolds()
    {
        var (client, _) = await cluster.CreateWorkspaceClientAsync();
        var (id, secret) = await client.CreateWebhookAsync(new Uri("http://127.0.0.1:9/in"), ["job.completed"], ["demo"]);
        secret.ShouldStartWith("whsec_");

        var listed = await client.GetStringAsync("/api/webhooks");
        listed.ShouldContain(id.ToString());
        listed.ShouldNotContain(secret);
        (await client.GetStringAsync($"/api/webhooks/{id}")).ShouldNotContain(secret);

        var (status, body) = await client.SendJsonAsync(HttpMethod.Patch, $"/api/webhooks/{id}",
            new { events = new[] { "job.failed", "job.cancelled" }, jobTypes = Array.Empty<string>(), description = "billing", enabled = false });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var changed = body.Deserialize<WebhookResponse>(JsonSerializerOptions.Web).ShouldNotBeNull();
        changed.Events.ShouldBe([WebhookEvents.JobFailed, WebhookEvents.JobCancelled]);
        changed.JobTypes.ShouldBeNull();
        (changed.Enabled, changed.DisabledReason).ShouldBe((false, "Disabled by an admin."));
        (status, var bad) = await client.SendJsonAsync(HttpMethod.Patch, $"/api/webhooks/{id}", new { url = "ftp://x.example" });
        (status, bad.GetProperty("errors").GetProperty("url")[0].GetString()).ShouldBe((HttpStatusCode.BadRequest, "must use http or https, not 'ftp'."));

        for (var i = 1; i < 5; i++)
        {
            await client.CreateWebhookAsync(new Uri($"http://127.0.0.1:9/in/{i}"));
        }

        var (capped, problem) = await client.PostAsync("/api/webhooks", new { url = "http://127.0.0.1:9/in/6", events = new[] { "job.completed" } });
        (capped, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "webhook_limit_reached"));

        (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"/api/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await client.CreateWebhookAsync(new Uri("http://127.0.0.1:9/in/again"));
    }

    [Fact]
    public async Task AnotherWorkspacesEndpoint_IsNotFound_ForEveryOperation()
    {
        var (owner, _) = await cluster.CreateWorkspaceClientAsync();
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        var (id, _) = await owner.CreateWebhookAsync(new Uri("http://127.0.0.1:9/in"));
        var delivery = Guid.CreateVersion7();

        (await other.GetAsync($"/api/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.SendJsonAsync(HttpMethod.Patch, $"/api/webhooks/{id}", new { enabled = false })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostAsync($"/api/webhooks/{id}/rotate-secret")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/api/webhooks/{id}/deliveries")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostAsync($"/api/webhooks/{id}/deliveries/{delivery}/redeliver")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await other.DeleteAsync($"/api/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetStringAsync("/api/webhooks")).ShouldNotContain(id.ToString());
        (await owner.GetWebhookAsync(id)).Enabled.ShouldBeTrue();
        (await owner.PostAsync($"/api/webhooks/{id}/deliveries/{delivery}/redeliver")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
