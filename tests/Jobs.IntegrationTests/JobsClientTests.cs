using System.Net;
using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using JobsClient = Jobs.Client.JobsClient;

namespace Jobs.IntegrationTests;

/// <summary>
/// Jobs.Client against the real API and workers: what a team's service sees when it adds the client
/// (docs/api.md, ".NET client").
/// </summary>
public sealed class JobsClientTests(Servers servers)
{
    private sealed record DemoPayload(int Items, int DelayMs = 0, int FailAttempts = 0);

    private sealed record DemoResult(int Items, int Attempt);

    [Fact]
    public async Task TypedSubmit_GetListPagesAndTimeline_ReadTheJobs_AndTheResultReadsTyped()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var client = ClientOf(cluster);

        var submitted = await client.SubmitAsync("demo", new DemoPayload(Items: 3), new SubmitOptions { Priority = 5, MaxAttempts = 2, TimeoutSeconds = 30 });
        var batch = await client.SubmitBatchAsync([JobsClient.Job("demo", new DemoPayload(1)), JobsClient.Job("demo", new DemoPayload(2))]);

        submitted.Status.ShouldBe(JobStatus.Pending);
        submitted.Replayed.ShouldBeFalse();
        batch.Jobs.Count.ShouldBe(2);
        var job = (await client.GetAsync(submitted.JobId)).ShouldNotBeNull();
        (job.Type, job.Priority, job.MaxAttempts, job.TimeoutSeconds).ShouldBe(("demo", 5, 2, 30));
        Should.Throw<InvalidOperationException>(() => (job with { Status = JobStatus.Pending }).GetResult<DemoResult>());
        var completed = await cluster.Client.WaitForStatusAsync(submitted.JobId, JobStatus.Completed);
        (await client.GetAsync(completed.Id))!.GetResult<DemoResult>().ShouldBe(new DemoResult(3, 1));
        (await client.GetAsync(Guid.NewGuid())).ShouldBeNull();

        var first = await client.ListAsync(type: "demo", limit: 2);
        first.Items.Count.ShouldBe(2);
        var second = await client.ListAsync(type: "demo", limit: 2, cursor: first.NextCursor.ShouldNotBeNull());
        // Newest first; the batch's two jobs share a creation time, so their order between them is their ids', which
        // are random within one millisecond.
        var listed = first.Items.Concat(second.Items).Select(j => j.Id).ToList();
        listed[^1].ShouldBe(submitted.JobId);
        listed[..2].ShouldBe([batch.Jobs[0].JobId, batch.Jobs[1].JobId], ignoreOrder: true);
        var all = await client.ListAllAsync(type: "demo", pageSize: 1).ToListAsync();
        all.Count.ShouldBe(3);
        (await client.ListAsync(status: JobStatus.Completed, type: "no.such.type")).Items.ShouldBeEmpty();

        var timeline = await client.TimelineAsync(submitted.JobId);
        timeline[0].Kind.ShouldBe(JobEventKind.Created);
        timeline[^1].Kind.ShouldBe(JobEventKind.Completed);
    }

    [Fact]
    public async Task CancelAndRetry_MoveTheJob_AndWhatTheStateForbidsOrAnotherWorkspaceOwnsIsATypedException()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = ClientOf(cluster);
        var id = (await client.SubmitAsync("demo", new DemoPayload(1))).JobId;

        (await client.CancelAsync(id)).Status.ShouldBe(JobStatus.Cancelled);
        var again = await Should.ThrowAsync<JobsConflictException>(() => client.CancelAsync(id));
        var retried = await client.RetryAsync(id);

        (again.Status, again.Code).ShouldBe((HttpStatusCode.Conflict, "invalid_transition"));
        retried.Status.ShouldBe(JobStatus.Pending);
        (await client.TimelineAsync(id)).Select(e => e.Kind).ShouldContain(JobEventKind.Retried);

        var (otherHttp, _, otherKey) = await cluster.CreateWorkspaceAsync();
        using var _ = otherHttp;
        var other = new JobsClient(otherHttp, otherKey);
        (await other.GetAsync(id)).ShouldBeNull();
        (await Should.ThrowAsync<JobsNotFoundException>(() => other.CancelAsync(id))).Code.ShouldBe("job_not_found");
        await Should.ThrowAsync<JobsNotFoundException>(() => other.TimelineAsync(id));
        await Should.ThrowAsync<JobsNotFoundException>(async () => await other.WatchAsync(id).ToListAsync());
    }

    [Fact]
    public async Task BadInput_IsAValidationExceptionNamingTheField_AndALimitIsARateLimitWithRetryAfter()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = ClientOf(cluster);

        var invalid = await Should.ThrowAsync<JobsValidationException>(() => client.SubmitAsync("demo", new DemoPayload(Items: -1)));
        var unknown = await Should.ThrowAsync<JobsValidationException>(() => client.SubmitAsync("no.such.type", new { }));
        var badBatch = await Should.ThrowAsync<JobsValidationException>(() => client.SubmitBatchAsync(
            [JobsClient.Job("demo", new DemoPayload(1)), JobsClient.Job("demo", new DemoPayload(1), new SubmitOptions { MaxAttempts = 0 })]));

        (invalid.Status, invalid.Code).ShouldBe((HttpStatusCode.BadRequest, "validation_failed"));
        invalid.Errors.Keys.ShouldContain("payload.items");
        invalid.Message.ShouldContain("payload.items");
        unknown.Errors.Keys.ShouldContain("type");
        badBatch.Errors.Keys.ShouldContain(key => key.StartsWith("jobs[1]", StringComparison.Ordinal));

        // A workspace of its own, its limit set before its first request (the API caches limits for a few seconds).
        var (slowHttp, slow, slowKey) = await cluster.CreateWorkspaceAsync();
        using var _ = slowHttp;
        await cluster.SetLimitsAsync(slow.WorkspaceId, requestsPerMinute: 1);
        var slowClient = new JobsClient(slowHttp, slowKey);
        await slowClient.ListAsync();
        var limited = await Should.ThrowAsync<JobsRateLimitedException>(() => slowClient.ListAsync());
        limited.Code.ShouldBe("rate_limited");
        limited.RetryAfter.ShouldNotBeNull().TotalSeconds.ShouldBeInRange(1, 60);
    }

    [Fact]
    public async Task SameIdempotencyKey_ReturnsTheSameJob_AndTheKeyWithAnotherRequestIsAConflict()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = ClientOf(cluster);
        var options = new SubmitOptions { IdempotencyKey = "order-42" };

        var first = await client.SubmitAsync("demo", new DemoPayload(3), options);
        var replay = await client.SubmitAsync("demo", new DemoPayload(3), options);
        var reused = await Should.ThrowAsync<JobsConflictException>(() => client.SubmitAsync("demo", new DemoPayload(4), options));

        replay.JobId.ShouldBe(first.JobId);
        (first.Replayed, replay.Replayed).ShouldBe((false, true));
        (reused.Status, reused.Code).ShouldBe((HttpStatusCode.UnprocessableEntity, "idempotency_key_reused"));
        (await client.GetAsync(first.JobId))!.IdempotencyKey.ShouldBe("order-42");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(1);
    }

    [Fact]
    public async Task Watch_YieldsIncreasingProgressInSequenceOrder_AndEndsAtCompleted()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var client = ClientOf(cluster);
        var id = (await client.SubmitAsync("demo", new DemoPayload(Items: 10, DelayMs: 100))).JobId;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var updates = await client.WatchAsync(id, timeout.Token).ToListAsync(timeout.Token);

        updates.ShouldAllBe(u => u.JobId == id);
        ShouldIncrease(updates);
        updates.Select(u => (int)u.Progress).ShouldBeInOrder(SortDirection.Ascending);
        updates.Count(u => u.Status == JobStatus.Processing && u.Progress is > 0 and < 100).ShouldBeGreaterThan(1);
        (updates[^1].Status, updates[^1].Progress, updates[^1].ProcessedItems).ShouldBe((JobStatus.Completed, (short)100, 10L));

        // A finished job: its final state, at once.
        var again = await client.WatchAsync(id, timeout.Token).ToListAsync(timeout.Token);
        again.Single().Status.ShouldBe(JobStatus.Completed);
    }

    [Fact]
    public async Task Watch_ThroughAHubOutageInTheMiddle_ReconnectsFillsTheGap_AndEndsAtCompletedWithoutAStaleSequence()
    {
        var outage = new HubOutage();
        await using var cluster = await TestCluster.StartAsync(servers, configureApi: outage.Install);
        var client = ClientOf(cluster);
        var id = (await client.SubmitAsync("demo", new DemoPayload(Items: 40, DelayMs: 100))).JobId;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var updates = new List<JobUpdate>();
        var droppedAfter = -1;
        await foreach (var update in client.WatchAsync(id, timeout.Token))
        {
            updates.Add(update);
            if (droppedAfter < 0 && update.ProcessedItems >= 5)
            {
                // The connection drops and cannot come back for a while; the job goes on without it.
                droppedAfter = updates.Count;
                outage.Begin();
                _ = Task.Delay(TimeSpan.FromSeconds(1.5)).ContinueWith(_ => outage.End(), TaskScheduler.Default);
            }
        }

        droppedAfter.ShouldBeGreaterThan(0);
        outage.Connections.ShouldBeGreaterThanOrEqualTo(2);
        ShouldIncrease(updates);
        updates[^1].Status.ShouldBe(JobStatus.Completed);
        // The outage lasted about 15 items; what came after it starts past the gap, from the snapshot read on reconnect.
        var after = updates.Skip(droppedAfter).Select(u => u.ProcessedItems ?? 0).ToList();
        after.Zip(after.Skip(1), (a, b) => b - a).Prepend(after[0] - (updates[droppedAfter - 1].ProcessedItems ?? 0)).Max().ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task AddJobsClient_ResolvesTheServiceNameByServiceDiscovery_ForCallsAndTheHub_OrTakesAConnectionString()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var key = KeyOf(cluster);
        var address = cluster.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        // What an AppHost's WithReference(api) sets for this service, and the key a team puts in its own configuration.
        var discovered = ClientFrom(new() { ["services:api:http:0"] = address, ["Jobs:Client:ApiKey"] = key });
        var byConnectionString = ClientFrom(new() { ["ConnectionStrings:jobs"] = $"Endpoint={address};ApiKey={key}" }, "jobs");

        var id = (await discovered.SubmitAsync("demo", new DemoPayload(Items: 3))).JobId;
        var updates = await discovered.WatchAsync(id).ToListAsync();

        updates[^1].Status.ShouldBe(JobStatus.Completed);
        (await byConnectionString.GetAsync(id)).ShouldNotBeNull().Status.ShouldBe(JobStatus.Completed);
        Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => ClientFrom([]))
            .Message.ShouldContain("Jobs:Client:ApiKey");

        static JobsClient ClientFrom(Dictionary<string, string?> settings, string serviceName = "api")
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.AddJobsClient(serviceName);
            return builder.Build().Services.GetRequiredService<JobsClient>();
        }
    }

    private static void ShouldIncrease(IReadOnlyList<JobUpdate> updates)
    {
        for (var i = 1; i < updates.Count; i++)
        {
            updates[i].Sequence.ShouldBeGreaterThan(updates[i - 1].Sequence);
        }
    }

    private static JobsClient ClientOf(TestCluster cluster) => TypedClients.Of(cluster);

    private static string KeyOf(TestCluster cluster) => TypedClients.KeyOf(cluster);
}
