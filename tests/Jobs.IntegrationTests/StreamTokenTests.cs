using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Jobs.Api.Auth;
using Jobs.Api.Live;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Shouldly;

namespace Jobs.IntegrationTests;

/// <summary>
/// Stream tokens: what a browser follows a job with, where EventSource and SignalR's WebSocket cannot send
/// a header. A token opens its job's event stream or the hub and nothing else, for its job only, until it expires or its
/// key is revoked; an API key in a URL is refused.
/// </summary>
public sealed class StreamTokenTests(Servers servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task JobToken_OpensItsJobsEventStream_WithoutAKey_AndNothingElse()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var job = await cluster.Client.SubmitDemoAsync(items: 10, delayMs: 50);
        var other = await cluster.Client.SubmitDemoAsync(items: 1);

        using var minted = await cluster.Client.PostAsync($"/api/jobs/{job}/stream-token", null);
        var body = JsonDocument.Parse(await minted.Content.ReadAsStringAsync()).RootElement;
        minted.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        minted.Headers.CacheControl?.NoStore.ShouldBe(true);
        var token = body.GetProperty("token").GetString()!;
        token.ShouldStartWith(StreamTokens.Prefix);
        body.GetProperty("jobId").GetGuid().ShouldBe(job);
        body.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
        body.GetProperty("hubPath").GetString().ShouldBe(JobsHub.Path);
        var eventsUrl = body.GetProperty("eventsUrl").GetString()!;
        eventsUrl.ShouldBe($"/api/jobs/{job}/events?access_token={token}");

        // What a browser's EventSource does: no header, the token in the URL.
        using var anonymous = cluster.Api.CreateClient();
        using var stream = await GetEventsAsync(anonymous, eventsUrl);
        stream.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new EventStreamReader(await stream.Content.ReadAsStreamAsync());
        var events = await reader.ReadEventsToEndAsync(Patience);
        events[^1].Json.GetProperty("status").GetString().ShouldBe("completed");
        events.ShouldAllBe(e => e.Json.GetProperty("jobId").GetGuid() == job);

        // Another job of the same workspace: refused, and says why.
        using var otherJob = await GetEventsAsync(anonymous, $"/api/jobs/{other}/events?access_token={token}");
        otherJob.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ProblemCodeAsync(otherJob)).ShouldBe("stream_token_scope");

        // Nothing else opens with it, however it is sent.
        (await anonymous.GetAsync($"/api/jobs/{job}?access_token={token}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var asKey = cluster.Api.ClientWithKey(token);
        (await asKey.GetAsync($"/api/jobs/{job}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await asKey.PostAsync($"/api/jobs/{job}/stream-token", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await asKey.PostAsync("/api/stream-tokens", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/jobs") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        (await anonymous.SendAsync(bearer)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // On the hub, as the JavaScript client sends it over a WebSocket: its job, not another, not the workspace.
        await using var hub = await ConnectAsync(cluster, token);
        var snapshot = await hub.InvokeAsync<JsonElement>(nameof(JobsHub.SubscribeJob), job.ToString());
        snapshot.GetProperty("jobId").GetGuid().ShouldBe(job);
        (await Should.ThrowAsync<HubException>(() => hub.InvokeAsync<JsonElement?>(nameof(JobsHub.SubscribeJob), other.ToString())))
            .Message.ShouldContain("stream_token_scope");
        (await Should.ThrowAsync<HubException>(() => hub.InvokeAsync(nameof(JobsHub.SubscribeWorkspace))))
            .Message.ShouldContain("stream_token_scope");
    }

    [Fact]
    public async Task WorkspaceToken_FollowsEveryJobOfItsWorkspace_AndNoneOfAnother()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var theirs = await other.SubmitDemoAsync(items: 1);
        var token = await MintAsync(cluster.Client, "/api/stream-tokens");

        // Another workspace's job: as if it did not exist, for minting and for following.
        (await cluster.Client.PostAsync($"/api/jobs/{theirs}/stream-token", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var anonymous = cluster.Api.CreateClient();
        (await GetEventsAsync(anonymous, $"/api/jobs/{theirs}/events?access_token={token}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await using var hub = await ConnectAsync(cluster, token);
        var updates = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        hub.On<JsonElement>(JobsHub.JobUpdatedMethod, update => updates.Writer.TryWrite(update));
        await hub.InvokeAsync(nameof(JobsHub.SubscribeWorkspace));
        var mine = await cluster.Client.SubmitDemoAsync(items: 3, delayMs: 20);
        using (var stream = await GetEventsAsync(anonymous, $"/api/jobs/{mine}/events?access_token={token}"))
        {
            stream.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var timeout = new CancellationTokenSource(Patience);
        var heard = new List<JsonElement>();
        while (!heard.Any(u => u.GetProperty("status").GetString() == "completed"))
        {
            heard.Add(await updates.Reader.ReadAsync(timeout.Token));
        }

        heard.ShouldAllBe(u => u.GetProperty("jobId").GetGuid() == mine);
    }

    [Fact]
    public async Task AnApiKeyInAUrl_AnAlteredToken_AndAnExpiredOne_AreRefused()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: new Dictionary<string, string?>
        {
            ["Api:StreamTokenLifetime"] = "00:00:02",
        });
        var job = await cluster.Client.SubmitDemoAsync(items: 1);
        var key = cluster.Client.DefaultRequestHeaders.GetValues(ApiKeyAuthenticationHandler.HeaderName).Single();
        using var anonymous = cluster.Api.CreateClient();

        using var keyInUrl = await GetEventsAsync(anonymous, $"/api/jobs/{job}/events?access_token={Uri.EscapeDataString(key)}");
        keyInUrl.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync($"{JobsHub.Path}/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(key)}", null))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var token = await MintAsync(cluster.Client, $"/api/jobs/{job}/stream-token");
        var altered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        (await GetEventsAsync(anonymous, $"/api/jobs/{job}/events?access_token={altered}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await GetEventsAsync(anonymous, $"/api/jobs/{job}/events?access_token=jst_{new string('A', 76)}.x")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using (var fresh = await GetEventsAsync(anonymous, $"/api/jobs/{job}/events?access_token={token}"))
        {
            fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        (await GetEventsAsync(anonymous, $"/api/jobs/{job}/events?access_token={token}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokingTheKey_RefusesItsTokens_AndEndsTheirStreams_OnEveryInstance()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var (_, created) = await cluster.Client.PostAsync("/api/keys", new { name = "front end" });
        var keyId = created.GetProperty("id").GetGuid();
        using var frontEnd = cluster.Api.ClientWithKey(created.GetProperty("apiKey").GetString()!);
        var job = await cluster.Client.SubmitDemoAsync(items: 300, delayMs: 100);
        var token = await MintAsync(frontEnd, $"/api/jobs/{job}/stream-token");

        // Minted on one instance, accepted on another: the signing key is the platform's, not the instance's.
        var second = cluster.StartApi();
        using var onSecond = second.CreateClient();
        using var stream = await GetEventsAsync(onSecond, $"/api/jobs/{job}/events?access_token={token}");
        stream.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new EventStreamReader(await stream.Content.ReadAsStreamAsync());
        (await reader.ReadEventAsync(Patience)).ShouldNotBeNull();

        (await cluster.Client.DeleteAsync($"/api/keys/{keyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // The open stream ends (long before the job would), and the token opens nothing any more.
        var ended = Task.Run(async () =>
        {
            while (await reader.ReadEventAsync(Patience) is not null)
            {
            }
        });
        await ended.WaitAsync(TimeSpan.FromSeconds(10));
        using var anonymous = cluster.Api.CreateClient();
        (await GetEventsAsync(anonymous, $"/api/jobs/{job}/events?access_token={token}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await cluster.ScalarAsync<string>("SELECT status FROM jobs WHERE id = @id", ("id", job))).ShouldNotBe("completed");
    }

    private static async Task<string> MintAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> GetEventsAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<string?> ProblemCodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();

    /// <summary>The token in the URL of negotiate and of the WebSocket, as browsers send it.</summary>
    private static async Task<HubConnection> ConnectAsync(TestCluster cluster, string token)
    {
        var hub = new Uri(cluster.Client.BaseAddress!, $"{JobsHub.Path}?{ApiKeyAuthenticationHandler.AccessTokenQueryName}={token}");
        var connection = new HubConnectionBuilder().WithUrl(hub, o => o.Transports = HttpTransportType.WebSockets).Build();
        await connection.StartAsync();
        return connection;
    }
}
