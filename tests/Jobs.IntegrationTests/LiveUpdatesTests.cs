using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Jobs.Api.Auth;
using Jobs.Api.Live;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.IntegrationTests;

/// <summary>
/// Live updates over Server-Sent Events and SignalR, as clients on real HTTP see them (docs/design.md, "Live updates").
/// </summary>
public sealed class LiveUpdatesTests(Servers servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>How a SignalR client hands over its API key.</summary>
    public enum KeyTransport
    {
        /// <summary><c>X-Api-Key</c>, as any non-browser client.</summary>
        Header,

        /// <summary><c>AccessTokenProvider</c>: <c>Authorization: Bearer</c>, as SignalR clients send on negotiate.</summary>
        AccessTokenProvider,

        /// <summary>
        /// A stream token as <c>?access_token=</c> on a WebSocket, as browsers must (they cannot set headers there); an API
        /// key is never accepted in a URL.
        /// </summary>
        StreamToken,
    }

    [Fact]
    public async Task EventStream_OfARunningJob_SendsTheRowThenRisingProgress_AndClosesAfterCompleted()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var id = await cluster.Client.SubmitDemoAsync(items: 20, delayMs: 50);

        using var response = await EventStreamReader.OpenAsync(cluster.Client, id);
        using var stream = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        var events = await stream.ReadEventsToEndAsync(Patience);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
        response.Headers.CacheControl?.NoCache.ShouldBe(true);
        response.Headers.GetValues("X-Accel-Buffering").ShouldBe(["no"]);
        events.ShouldAllBe(e => e.Event == "job");
        var ids = events.Select(e => e.Id!.Value).ToList();
        ids.ShouldBe(ids.Order().Distinct().ToList(), "sequences must strictly increase");
        events.ShouldAllBe(e => e.Json.GetProperty("sequence").GetInt64() == e.Id);
        events.ShouldAllBe(e => e.Json.GetProperty("jobId").GetGuid() == id);
        var progress = events.Select(e => e.Json.GetProperty("progress").GetInt32()).ToList();
        progress.ShouldBe(progress.Order().ToList(), "progress must not go back");
        progress.Distinct().Count().ShouldBeGreaterThanOrEqualTo(3);
        var last = events[^1].Json;
        last.GetProperty("status").GetString().ShouldBe("completed");
        last.GetProperty("progress").GetInt32().ShouldBe(100);
        ids[^1].ShouldBe((await cluster.Client.GetJobAsync(id)).Sequence);
    }

    [Fact]
    public async Task EventStream_ResumedWithLastEventId_SkipsWhatTheClientHasSeen()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var id = await cluster.Client.SubmitDemoAsync(items: 20, delayMs: 50);
        long seen;
        using (var first = await EventStreamReader.OpenAsync(cluster.Client, id))
        using (var stream = new EventStreamReader(await first.Content.ReadAsStreamAsync()))
        {
            var events = new List<EventStreamReader.Item>();
            while (events.Count < 3 && await stream.ReadEventAsync(Patience) is { } item)
            {
                events.Add(item);
            }

            seen = events[^1].Id!.Value;
        }

        using var resumed = await EventStreamReader.OpenAsync(cluster.Client, id, lastEventId: seen);
        using var resumedStream = new EventStreamReader(await resumed.Content.ReadAsStreamAsync());
        var rest = await resumedStream.ReadEventsToEndAsync(Patience);

        rest.ShouldNotBeEmpty();
        rest.ShouldAllBe(e => e.Id > seen);
        var ids = rest.Select(e => e.Id!.Value).ToList();
        ids.ShouldBe(ids.Order().Distinct().ToList());
        rest[^1].Json.GetProperty("status").GetString().ShouldBe("completed");
        var final = ids[^1];

        // Resuming after the final event: nothing to send, and 204 stops a browser's EventSource from reconnecting.
        using (var done = await EventStreamReader.OpenAsync(cluster.Client, id, lastEventId: final))
        {
            done.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        // Resuming just before it: the final row alone, then the server closes.
        using var last = await EventStreamReader.OpenAsync(cluster.Client, id, lastEventId: final - 1);
        using var lastStream = new EventStreamReader(await last.Content.ReadAsStreamAsync());
        (await lastStream.ReadEventsToEndAsync(Patience)).Select(e => e.Id).ShouldBe([final]);
    }

    [Fact]
    public async Task EventStream_ResumedAtTheCurrentRow_SendsOnlyTheNextChange()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var pending = (await cluster.Client.GetJobAsync(id)).Sequence;

        using var response = await EventStreamReader.OpenAsync(cluster.Client, id, lastEventId: pending);
        using var stream = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        (await cluster.Client.PostAsync($"/api/jobs/{id}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        var events = await stream.ReadEventsToEndAsync(Patience);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var only = events.ShouldHaveSingleItem();
        only.Id.ShouldBe(pending + 1);
        only.Json.GetProperty("status").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task EventStream_ResumedWithNothingToSendYet_AnswersItsHeadersAtOnce()
    {
        // The default heartbeat of 15 s: the headers must not wait for the first one.
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var current = (await cluster.Client.GetJobAsync(id)).Sequence;

        var opening = Stopwatch.StartNew();
        using var response = await EventStreamReader.OpenAsync(cluster.Client, id, lastEventId: current).WaitAsync(TimeSpan.FromSeconds(5));
        opening.Stop();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
        opening.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task EventStream_ResumedWithAnIdBeyondTheJobsSequence_SendsTheRow_AndEndsAtTheFinalEvent()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0,
            overrides: new Dictionary<string, string?> { ["Api:SseHeartbeatInterval"] = "00:00:00.200" });
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        const long beyond = 1_000_000;

        using var response = await EventStreamReader.OpenAsync(cluster.Client, id, lastEventId: beyond);
        using var stream = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        var row = await stream.ReadEventAsync(TimeSpan.FromSeconds(10));
        (await cluster.Client.PostAsync($"/api/jobs/{id}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        var rest = await stream.ReadEventsToEndAsync(TimeSpan.FromSeconds(10));

        row.ShouldNotBeNull().Json.GetProperty("status").GetString().ShouldBe("pending");
        rest.ShouldHaveSingleItem().Json.GetProperty("status").GetString().ShouldBe("cancelled");

        // Once the job is final, such an id gets the final row and the end of the stream, not a stream that never ends.
        using var again = await EventStreamReader.OpenAsync(cluster.Client, id, lastEventId: beyond);
        using var againStream = new EventStreamReader(await again.Content.ReadAsStreamAsync());
        (await againStream.ReadEventsToEndAsync(TimeSpan.FromSeconds(10))).ShouldHaveSingleItem()
            .Json.GetProperty("status").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task EventStream_OfAnotherWorkspacesJob_AnswersTheSame404AsAnUnknownJob()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;

        var (status, body) = await other.SendRawAsync(HttpMethod.Get, $"/api/jobs/{id}/events", null);
        var (unknownStatus, unknownBody) = await other.SendRawAsync(HttpMethod.Get, $"/api/jobs/{Guid.CreateVersion7()}/events", null);

        status.ShouldBe(HttpStatusCode.NotFound);
        body.GetProperty("code").GetString().ShouldBe("job_not_found");
        unknownStatus.ShouldBe(HttpStatusCode.NotFound);
        unknownBody.GetProperty("code").GetString().ShouldBe("job_not_found");
    }

    [Fact]
    public async Task EventStream_OfAnIdleJob_SendsHeartbeatComments_UntilTheJobEnds()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0,
            overrides: new Dictionary<string, string?> { ["Api:SseHeartbeatInterval"] = "00:00:00.200" });
        var id = await cluster.Client.SubmitDemoAsync(items: 1);

        using var response = await EventStreamReader.OpenAsync(cluster.Client, id);
        using var stream = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        var row = await stream.ReadAsync(Patience);
        var heartbeats = new[] { await stream.ReadAsync(TimeSpan.FromSeconds(5)), await stream.ReadAsync(TimeSpan.FromSeconds(5)) };
        (await cluster.Client.PostAsync($"/api/jobs/{id}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        var rest = await stream.ReadEventsToEndAsync(Patience);

        row!.Json.GetProperty("status").GetString().ShouldBe("pending");
        heartbeats.ShouldAllBe(h => h != null && h.Comment == "heartbeat");
        rest.ShouldHaveSingleItem().Json.GetProperty("status").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheEventStream()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var document = await cluster.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var operation = document.GetProperty("paths").GetProperty("/api/jobs/{id}/events").GetProperty("get");
        operation.GetProperty("operationId").GetString().ShouldBe("StreamJobEvents");
        var responses = operation.GetProperty("responses");
        responses.GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _).ShouldBeTrue();
        responses.TryGetProperty("204", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Hub_SubscribeJob_ReturnsTheSnapshot_ThenUpdatesThroughCompleted()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var id = await cluster.Client.SubmitDemoAsync(items: 40, delayMs: 50);
        await using var connection = await ConnectAsync(cluster, ApiKeyOf(cluster.Client), KeyTransport.AccessTokenProvider);
        var updates = Collect(connection);

        var snapshot = await connection.InvokeAsync<JobUpdate>(nameof(JobsHub.SubscribeJob), id);

        snapshot.JobId.ShouldBe(id);
        snapshot.WorkspaceId.ShouldBe(cluster.Caller.WorkspaceId);
        snapshot.Status.ShouldBeOneOf("pending", "processing");
        // As a client does: apply only what is newer than what it has.
        var applied = new List<JobUpdate>();
        var current = snapshot;
        while (current.Status != "completed")
        {
            var update = await updates.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            if (update.JobId == id && update.Sequence > current.Sequence)
            {
                applied.Add(update);
                current = update;
            }
        }

        applied.Count.ShouldBeGreaterThanOrEqualTo(3);
        applied.Select(u => (int)u.Progress).ShouldBe(applied.Select(u => (int)u.Progress).Order());
        current.Progress.ShouldBe((short)100);
        current.Sequence.ShouldBe((await cluster.Client.GetJobAsync(id)).Sequence);
    }

    [Fact]
    public async Task Hub_SubscribeJob_OfAnotherWorkspacesJob_IsRefusedLikeAnUnknownJob_AndHearsNothingOfIt()
    {
        var logs = new CapturedLogs();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0,
            overrides: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" },
            configureApi: services => services.AddSingleton<ILoggerProvider>(logs));
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        await using var connection = await ConnectAsync(cluster, ApiKeyOf(other), KeyTransport.Header);
        await using var owner = await ConnectAsync(cluster, ApiKeyOf(cluster.Client), KeyTransport.Header);
        var heard = Collect(connection);
        var ownerHeard = Collect(owner);
        await connection.InvokeAsync(nameof(JobsHub.SubscribeWorkspace));

        var foreign = await connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), id);
        var unknown = await connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), Guid.CreateVersion7());
        (await owner.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), id)).ShouldNotBeNull();
        var (cancelled, _) = await cluster.Client.PostAsync($"/api/jobs/{id}/cancel");

        foreign.ShouldBeNull();
        unknown.ShouldBeNull();
        cancelled.ShouldBe(HttpStatusCode.OK);
        // The owner's connection hears the cancel; the dispatcher sends to every group of the update at once, so by
        // the time it has, anything wrongly sent to the other workspace's connection has been sent too.
        (await ownerHeard.Reader.ReadAsync().AsTask().WaitAsync(Patience)).Status.ShouldBe("cancelled");
        await Task.Delay(300);
        heard.Reader.TryRead(out var leaked).ShouldBeFalse($"the other workspace heard {leaked}");
        connection.State.ShouldBe(HubConnectionState.Connected);
        // A refusal is not a server fault: logged at information, and nothing at error.
        logs.Entries.Count(e => e.Category == typeof(JobsHub).FullName && e.Message.StartsWith("Refused SubscribeJob", StringComparison.Ordinal)).ShouldBe(2);
        logs.Entries.Where(e => e.Level >= LogLevel.Error).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(nameof(JobsHub.SubscribeJob))]
    [InlineData(nameof(JobsHub.UnsubscribeJob))]
    public async Task Hub_CallsWithAMalformedJobId_FailWithAMessageThatSaysSo_AndTheConnectionStays(string method)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await using var connection = await ConnectAsync(cluster, ApiKeyOf(cluster.Client), KeyTransport.Header);

        var error = await Should.ThrowAsync<HubException>(() => connection.InvokeAsync<object?>(method, "not-a-job-id"));

        error.Message.ShouldContain("invalid_job_id");
        error.Message.ShouldContain("'not-a-job-id' is not a job id");
        connection.State.ShouldBe(HubConnectionState.Connected);
        await connection.InvokeAsync(nameof(JobsHub.SubscribeWorkspace));
    }

    [Fact]
    public async Task Hub_SubscribeWorkspace_HearsEveryJobOfTheWorkspace_AndNoneOfAnother()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        // The browser's way in: a workspace's stream token in the query string of the negotiate request and of the WebSocket.
        var (_, minted) = await cluster.Client.PostAsync("/api/stream-tokens");
        await using var mine = await ConnectAsync(cluster, minted.GetProperty("token").GetString()!, KeyTransport.StreamToken);
        await using var theirs = await ConnectAsync(cluster, ApiKeyOf(other), KeyTransport.Header);
        var myUpdates = Collect(mine);
        var theirUpdates = Collect(theirs);
        await mine.InvokeAsync(nameof(JobsHub.SubscribeWorkspace));
        await theirs.InvokeAsync(nameof(JobsHub.SubscribeWorkspace));

        var a = await cluster.Client.SubmitDemoAsync(items: 5, delayMs: 20);
        var b = await cluster.Client.SubmitDemoAsync(items: 5, delayMs: 20);
        var c = await other.SubmitDemoAsync(items: 5, delayMs: 20);
        var mineSeen = await ReadUntilCompletedAsync(myUpdates, [a, b]);
        var theirsSeen = await ReadUntilCompletedAsync(theirUpdates, [c]);
        // The dispatcher handles updates one at a time, so once c's completion reached its own workspace, anything
        // wrongly sent to this connection would have been sent already; a short wait lets it arrive.
        await Task.Delay(300);
        while (myUpdates.Reader.TryRead(out var late))
        {
            mineSeen.Add(late);
        }

        mineSeen.Select(u => u.JobId).Distinct().Order().ShouldBe(new[] { a, b }.Order());
        mineSeen.ShouldAllBe(u => u.WorkspaceId == cluster.Caller.WorkspaceId);
        theirsSeen.Select(u => u.JobId).Distinct().ShouldBe([c]);
    }

    [Fact]
    public async Task BearerKeys_AreAcceptedOnTheHubOnly_AndKeysNeverInAUrl()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var key = ApiKeyOf(cluster.Client);
        using var anonymous = cluster.Api.CreateClient();

        using var byQuery = await anonymous.GetAsync($"/api/jobs/{id}?access_token={Uri.EscapeDataString(key)}");
        using var bearer = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
        using var byBearer = await anonymous.SendAsync(bearer);
        using var negotiateWithout = await anonymous.PostAsync($"{JobsHub.Path}/negotiate?negotiateVersion=1", null);
        using var negotiateWithQuery = await anonymous.PostAsync($"{JobsHub.Path}/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(key)}", null);
        using var negotiateBearer = new HttpRequestMessage(HttpMethod.Post, $"{JobsHub.Path}/negotiate?negotiateVersion=1")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        };
        using var negotiateWithBearer = await anonymous.SendAsync(negotiateBearer);
        var badKey = new HubConnectionBuilder().WithUrl(new Uri(cluster.Client.BaseAddress!, JobsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>("not-a-key")).Build();
        await using var _ = badKey;

        byQuery.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        byBearer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        negotiateWithout.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        negotiateWithQuery.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        negotiateWithBearer.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Should.ThrowAsync<HttpRequestException>(() => badKey.StartAsync())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ApiStartedWhileRedisWasDown_SubscribesOnceRedisIsBack_AndStreamsUpdates()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await redis.StopAsync();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, redisConnectionString: redis.ConnectionString);
        var dispatcher = cluster.Api.Services.GetRequiredService<JobUpdateDispatcher>();
        await Task.Delay(500);
        dispatcher.IsSubscribed.ShouldBeFalse();

        await redis.RestartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(dispatcher.IsSubscribed), "the dispatcher to subscribe", TimeSpan.FromSeconds(60));
        var id = await cluster.Client.SubmitDemoAsync(items: 10, delayMs: 50);
        using var response = await EventStreamReader.OpenAsync(cluster.Client, id);
        using var stream = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        await cluster.StartWorkerAsync();
        var events = await stream.ReadEventsToEndAsync(TimeSpan.FromSeconds(60));

        events.Count.ShouldBeGreaterThanOrEqualTo(3);
        events[^1].Json.GetProperty("status").GetString().ShouldBe("completed");
    }

    private static string ApiKeyOf(HttpClient client) => client.DefaultRequestHeaders.GetValues(ApiKeyAuthenticationHandler.HeaderName).Single();

    private static async Task<HubConnection> ConnectAsync(TestCluster cluster, string apiKey, KeyTransport transport)
    {
        var hub = new Uri(cluster.Client.BaseAddress!, JobsHub.Path);
        var connection = transport switch
        {
            KeyTransport.Header => new HubConnectionBuilder()
                .WithUrl(hub, o => o.Headers[ApiKeyAuthenticationHandler.HeaderName] = apiKey),
            KeyTransport.AccessTokenProvider => new HubConnectionBuilder()
                .WithUrl(hub, o => o.AccessTokenProvider = () => Task.FromResult<string?>(apiKey)),
            _ => new HubConnectionBuilder()
                .WithUrl(new Uri($"{hub}?{ApiKeyAuthenticationHandler.AccessTokenQueryName}={Uri.EscapeDataString(apiKey)}"),
                    o => o.Transports = HttpTransportType.WebSockets),
        };
        var built = connection.Build();
        await built.StartAsync();
        return built;
    }

    private static Channel<JobUpdate> Collect(HubConnection connection)
    {
        var updates = Channel.CreateUnbounded<JobUpdate>();
        connection.On<JobUpdate>(JobsHub.JobUpdatedMethod, update => updates.Writer.TryWrite(update));
        return updates;
    }

    private static async Task<List<JobUpdate>> ReadUntilCompletedAsync(Channel<JobUpdate> updates, Guid[] jobs)
    {
        var seen = new List<JobUpdate>();
        var waiting = jobs.ToHashSet();
        while (waiting.Count > 0)
        {
            var update = await updates.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            seen.Add(update);
            if (update.Status == "completed")
            {
                waiting.Remove(update.JobId);
            }
        }

        return seen;
    }
}
