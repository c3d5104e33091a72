using System.Net;
using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// <see cref="JobsClient.WatchAsync"/> over Server-Sent Events: chosen, resumed after a cut stream, and taken by
/// <see cref="WatchTransport.Auto"/> when the hub is refused (docs/api.md, ".NET client").
/// </summary>
public sealed class JobsClientWatchTests(Servers servers)
{
    private sealed record DemoPayload(int Items, int DelayMs = 0);

    [Fact]
    public async Task Watch_OverServerSentEvents_YieldsIncreasingProgress_AndEndsAtCompleted_AsksTheKeyProvider()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var events = new EventStreamCutter(cutAfter: int.MaxValue);
        var asked = 0;
        var key = TypedClients.KeyOf(cluster);
        var client = TypedClients.Through(cluster, events, WatchTransport.ServerSentEvents, _ =>
        {
            Interlocked.Increment(ref asked);
            return ValueTask.FromResult(key);
        });
        var id = (await client.SubmitAsync("demo", new DemoPayload(Items: 10, DelayMs: 100))).JobId;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var updates = await client.WatchAsync(id, timeout.Token).ToListAsync(timeout.Token);

        events.Streams.ShouldBe(1);
        ShouldIncrease(updates);
        updates.Count(u => u.Status == JobStatus.Processing && u.Progress is > 0 and < 100).ShouldBeGreaterThan(1);
        (updates[^1].Status, updates[^1].ProcessedItems).ShouldBe((JobStatus.Completed, 10L));
        asked.ShouldBe(2);
        (await client.WatchAsync(id, timeout.Token).ToListAsync(timeout.Token)).Single().Status.ShouldBe(JobStatus.Completed);

        var (otherHttp, _, otherKey) = await cluster.CreateWorkspaceAsync();
        using var _ = otherHttp;
        var other = new JobsClient(otherHttp, otherKey) { Transport = WatchTransport.ServerSentEvents };
        await Should.ThrowAsync<JobsNotFoundException>(async () => await other.WatchAsync(id).ToListAsync());
    }

    [Fact]
    public async Task Watch_OverServerSentEvents_StreamCutInTheMiddle_ResumesWithLastEventId_WithoutLosingOrRepeatingAnUpdate()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var events = new EventStreamCutter(cutAfter: 4);
        var client = TypedClients.Through(cluster, events, WatchTransport.ServerSentEvents);
        var id = (await client.SubmitAsync("demo", new DemoPayload(Items: 20, DelayMs: 100))).JobId;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var updates = await client.WatchAsync(id, timeout.Token).ToListAsync(timeout.Token);

        events.Streams.ShouldBeGreaterThanOrEqualTo(2);
        // The second stream asked for what came after the fourth update, and every event the streams carried was
        // yielded once: nothing the server sent was dropped, and nothing was sent twice.
        events.LastEventIds[1].ShouldBe(updates[3].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        events.Delivered.ShouldBe(updates.Count);
        ShouldIncrease(updates);
        updates[^1].Status.ShouldBe(JobStatus.Completed);
    }

    [Fact]
    public async Task Watch_Auto_WhenTheHubIsRefused_FallsBackToServerSentEvents()
    {
        var outage = new HubOutage();
        await using var cluster = await TestCluster.StartAsync(servers, configureApi: outage.Install);
        var events = new EventStreamCutter(cutAfter: int.MaxValue);
        var client = TypedClients.Through(cluster, events, WatchTransport.Auto);
        var id = (await client.SubmitAsync("demo", new DemoPayload(Items: 5, DelayMs: 50))).JobId;
        outage.Begin();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var updates = await client.WatchAsync(id, timeout.Token).ToListAsync(timeout.Token);

        updates[^1].Status.ShouldBe(JobStatus.Completed);
        (outage.Connections, events.Streams).ShouldBe((0, 1));

        // Chosen alone, the hub's refusal is the watch's error.
        var hubOnly = TypedClients.Through(cluster, new EventStreamCutter(int.MaxValue), WatchTransport.SignalR);
        (await Should.ThrowAsync<HttpRequestException>(async () => await hubOnly.WatchAsync(id, timeout.Token).ToListAsync(timeout.Token)))
            .StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    private static void ShouldIncrease(IReadOnlyList<JobUpdate> updates)
    {
        for (var i = 1; i < updates.Count; i++)
        {
            updates[i].Sequence.ShouldBeGreaterThan(updates[i - 1].Sequence);
        }
    }
}
