using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Jobs.IntegrationTests;

/// <summary>
/// What happens when hints are duplicated or lost, Redis goes away, or a worker stops answering
/// (docs/design.md, "Delivery invariants").
/// </summary>
public sealed class DeliveryTests(Servers servers)
{
    [Fact]
    public async Task TwoWorkersRacingOnDuplicateHints_RunTheJobOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 5, delayMs: 20);
        var queue = cluster.Api.Services.GetRequiredService<JobQueue>();
        await queue.AddHintsAsync(Enumerable.Range(0, 9).Select(_ => new JobHint(id, cluster.Caller.WorkspaceId, "default")).ToList());

        await Task.WhenAll(cluster.StartWorkerAsync(), cluster.StartWorkerAsync());

        var job = await cluster.Client.WaitForStatusAsync(id, "completed");
        job.Attempt.ShouldBe(1);
        (await cluster.Client.GetTimelineAsync(id)).Kinds().Count(k => k == "started").ShouldBe(1);
        await Eventually.TrueAsync(async () => await queue.LengthAsync("default") == 0, "every duplicate hint to be acknowledged and deleted");
    }

    [Fact]
    public async Task ConcurrentClaimsOfTheSameJobs_NeverGiveAJobToBoth()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, maxConcurrentJobs: 100);
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await cluster.Client.SubmitDemoAsync(items: 1));
        }

        var store = cluster.Api.Services.GetRequiredService<IJobStore>();

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(w =>
            store.JobClaimManyAsync(new JobClaimManyParams(ids, $"claimer-{w}", TimeSpan.FromSeconds(30)), CancellationToken.None)));

        var won = claims.SelectMany(c => c.Claimed.Select(j => j.Id)).ToList();
        won.Count.ShouldBe(20);
        won.Distinct().Count().ShouldBe(20);
    }

    [Fact]
    public async Task WorkerThatStopsHeartbeating_LosesTheJob_WhichCompletesElsewhere()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 2);
        var id = await cluster.Client.SubmitDemoAsync(items: 40, delayMs: 100, maxAttempts: 3);
        await cluster.Client.WaitForStatusAsync(id, "processing");
        var owner = await cluster.ScalarAsync<string>("SELECT lease_owner FROM jobs WHERE id = @id", ("id", id));
        var stale = cluster.Workers.Single(w => TestCluster.IdentityOf(w).Id == owner);

        TestCluster.ConsumerOf(stale).HeartbeatsPaused = true;

        var job = await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(40));
        job.Attempt.ShouldBe(2);
        job.Result!.Value.GetProperty("attempt").GetInt32().ShouldBe(2);
        var kinds = (await cluster.Client.GetTimelineAsync(id)).Kinds();
        kinds.ShouldContain("lease_expired");
        kinds.Count(k => k == "completed").ShouldBe(1);
        await Eventually.TrueAsync(() => Task.FromResult(TestCluster.ConsumerOf(stale).RunningCount == 0), "the stale worker to stop its handler");
    }

    [Fact]
    public async Task StaleAttempt_ChangesNothing_AfterItsLeaseWasRescuedAndTheJobClaimedAgain()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var store = cluster.Api.Services.GetRequiredService<IJobStore>();
        var clusterStore = cluster.Api.Services.GetRequiredService<IClusterStore>();
        var first = (await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.Single();
        await cluster.ScalarAsync<int>("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = @id", ("id", id));
        var leader = (await clusterStore.LeaderAttemptElectAsync("maintenance", "leader-1", TimeSpan.FromSeconds(30), CancellationToken.None))!;
        (await store.JobRescueExpiredAsync(leader, 100, CancellationToken.None)).Single().Status.ShouldBe("pending");
        var second = (await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-b", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.Single();
        second.Attempt.ShouldBe(2);
        var before = await cluster.Client.GetJobAsync(id);

        var staleFinal = new JobSetProgressParams(first.Lease, 100, "done", 1, 1, JsonDocument.Parse("{}").RootElement, null, false);
        (await store.JobSetProgressIfRunningAsync(staleFinal, CancellationToken.None)).ShouldBeNull();
        (await CompleteAsync(store, staleFinal, JsonDocument.Parse("{\"stale\":true}").RootElement)).ShouldBeNull();
        (await store.JobFailIfRunningAsync(first.Lease, "stale", null, CancellationToken.None)).ShouldBeNull();
        (await store.JobCancelIfRunningAsync(first.Lease, CancellationToken.None)).ShouldBeNull();
        (await store.JobHandBackIfRunningAsync(first.Lease, CancellationToken.None)).ShouldBeNull();
        // Same owner, stale attempt: fenced too.
        (await store.JobFailIfRunningAsync(second.Lease with { Attempt = 1 }, "stale", null, CancellationToken.None)).ShouldBeNull();

        var after = await cluster.Client.GetJobAsync(id);
        after.Sequence.ShouldBe(before.Sequence);
        after.Status.ShouldBe("processing");
        (await CompleteAsync(store, staleFinal with { Lease = second.Lease }, JsonDocument.Parse("{}").RootElement))!.Status.ShouldBe("completed");
    }

    [Fact]
    public async Task GroupCommit_WritesAJobsProgressWritesAndItsCompletion_QueuedTogether_InOrder()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var services = cluster.Api.Services;
        var store = services.GetRequiredService<IJobStore>();
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var job = (await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.Single();
        await using var writer = NewAttemptWriter(services);
        JobSetProgressParams Progress(short percent, string stage, bool stageChanged = true) =>
            new(job.Lease, percent, stage, percent, 100, JsonDocument.Parse("{}").RootElement, null, stageChanged);

        // Queued back to back, so that batches hold two writes of one job (a progress write and the completion, or two
        // progress writes, which must not share a batch). The completion's stage differs from the last write's, so it
        // cannot take that write over.
        var writes = new[] { writer.SetProgressAsync(Progress(10, "a")), writer.SetProgressAsync(Progress(20, "b")), writer.SetProgressAsync(Progress(30, "c")) };
        var completion = writer.CompleteAsync(new Jobs.Worker.Processing.RunningJob(job, [], DateTimeOffset.UtcNow), Progress(90, "d", stageChanged: false), JsonDocument.Parse("{\"ok\":true}").RootElement, "default");

        (await Task.WhenAll(writes)).Select(j => j!.Progress).ShouldBe([(short)10, (short)20, (short)30]);
        (await completion)!.Status.ShouldBe("completed");
        var timeline = await cluster.Client.GetTimelineAsync(id);
        timeline.Kinds().ShouldBe(["created", "started", "stage", "stage", "stage", "completed"]);
        timeline.Select(e => e.Stage).ShouldBe([null, null, "a", "b", "c", "d"]);
    }

    [Fact]
    public async Task GroupCommit_AJobsStageWriteAndItsCompletion_InOneBatch_AreOneRowVersionAndOneUpdate_WithTheStageEvent()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var services = cluster.Api.Services;
        var store = services.GetRequiredService<IJobStore>();
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var other = await cluster.Client.SubmitDemoAsync(items: 1);
        var claimed = (await store.JobClaimManyAsync(new JobClaimManyParams([id, other], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed;
        var job = claimed.Single(j => j.Id == id);
        var otherJob = claimed.Single(j => j.Id == other);
        var updates = new System.Collections.Concurrent.ConcurrentQueue<JobUpdate>();
        using var subscription = services.GetRequiredService<JobUpdateChannel>()
            .Subscribe(u => { if (u.JobId == id) updates.Enqueue(u); }, "nothing", NullLogger.Instance);
        await subscription.StartAsync(CancellationToken.None);
        subscription.IsSubscribed.ShouldBeTrue();
        await using var writer = NewAttemptWriter(services);
        var metrics = JsonDocument.Parse("{}").RootElement;

        Task<Job?> stageWrite, completion;
        await using (await cluster.HoldRowAsync(other))
        {
            // The writer's first batch waits for the held row; the stage write and the completion queue behind it and
            // meet in the next batch.
            var blocked = writer.SetProgressAsync(new JobSetProgressParams(otherJob.Lease, 1, "x", 0, 1, metrics, null, true));
            await Eventually.TrueAsync(async () => await cluster.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") >= 1, "the writer to wait for the held row");
            stageWrite = writer.SetProgressAsync(new JobSetProgressParams(job.Lease, 0, "processing", 0, 1, metrics, "on it", StageChanged: true));
            completion = writer.CompleteAsync(new Jobs.Worker.Processing.RunningJob(job, [], DateTimeOffset.UtcNow),
                new JobSetProgressParams(job.Lease, 100, "processing", 1, 1, metrics, null, StageChanged: false), JsonDocument.Parse("{}").RootElement, "default");
            blocked.IsCompleted.ShouldBeFalse();
        }

        var completed = (await completion)!;
        completed.Status.ShouldBe("completed");
        (await stageWrite).ShouldBe(completed);
        // Claimed at version v, completed at v + 1: no row version of its own for the stage write.
        completed.Version.ShouldBe(job.Version + 1);
        var timeline = await cluster.Client.GetTimelineAsync(id);
        timeline.Kinds().ShouldBe(["created", "started", "stage", "completed"]);
        timeline[2].Stage.ShouldBe("processing");
        timeline[2].Message.ShouldBe("on it");
        await Eventually.TrueAsync(() => Task.FromResult(!updates.IsEmpty), "the completion's update");
        await Task.Delay(200);
        updates.Select(u => u.Status).ShouldBe(["completed"]);
    }

    // One completion written the way the worker writes them (a group commit of one), fenced on its lease; the job, or
    // null when the lease no longer holds.
    private static async Task<Job?> CompleteAsync(IJobStore store, JobSetProgressParams final, JsonElement result) =>
        (await store.JobWriteManyAsync(new JobWriteManyParams([], [new JobCompletion(final, result, WorkspaceId: null)], HintLimit: 0),
            CancellationToken.None)).Completed.SingleOrDefault();

    private static Jobs.Worker.Processing.AttemptWriter NewAttemptWriter(IServiceProvider services) => new(
        services.GetRequiredService<IJobStore>(),
        new Jobs.Worker.Processing.StreamAcks(services.GetRequiredService<JobQueue>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<Jobs.Worker.Processing.StreamAcks>.Instance),
        services.GetRequiredService<HintSender>(),
        services.GetRequiredService<Jobs.Core.Engine.Events.JobEventBus>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<Jobs.Worker.Processing.AttemptWriter>.Instance);

    [Fact]
    public async Task Rescue_LeavesAJobThatCompletedMeanwhileCompleted_AndADeposedLeaderChangesNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var store = cluster.Api.Services.GetRequiredService<IJobStore>();
        var clusterStore = cluster.Api.Services.GetRequiredService<IClusterStore>();
        var done = await cluster.Client.SubmitDemoAsync(items: 1);
        var expired = await cluster.Client.SubmitDemoAsync(items: 1);
        var claimed = (await store.JobClaimManyAsync(new JobClaimManyParams([done, expired], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed;
        var doneLease = claimed.Single(j => j.Id == done).Lease;
        (await CompleteAsync(store, new JobSetProgressParams(doneLease, 100, null, null, null, JsonDocument.Parse("{}").RootElement, null, false), JsonDocument.Parse("{}").RootElement)).ShouldNotBeNull();
        await cluster.ScalarAsync<int>("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE status = 'processing'");

        var oldLeader = (await clusterStore.LeaderAttemptElectAsync("maintenance", "leader-1", TimeSpan.FromMilliseconds(200), CancellationToken.None))!;
        await Task.Delay(400);
        var newLeader = (await clusterStore.LeaderAttemptElectAsync("maintenance", "leader-2", TimeSpan.FromSeconds(30), CancellationToken.None))!;
        newLeader.Term.ShouldBeGreaterThan(oldLeader.Term);
        (await clusterStore.LeaderAttemptElectAsync("maintenance", "leader-1", TimeSpan.FromSeconds(30), CancellationToken.None)).ShouldBeNull();

        (await store.JobRescueExpiredAsync(oldLeader, 100, CancellationToken.None)).ShouldBeEmpty();
        var rescued = await store.JobRescueExpiredAsync(newLeader, 100, CancellationToken.None);

        rescued.Select(j => j.Id).ShouldBe([expired]);
        (await cluster.Client.GetJobAsync(done)).Status.ShouldBe("completed");
        (await cluster.Client.GetJobAsync(expired)).Status.ShouldBe("pending");
    }

    [Fact]
    public async Task JobWhoseHintWasLost_InAFlushedRedis_StillCompletesThroughMaintenance()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, redisConnectionString: redis.ConnectionString);
        var id = await cluster.Client.SubmitDemoAsync(items: 2);
        await using (var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true"))
        {
            await connection.GetServers()[0].FlushAllDatabasesAsync();
        }

        await cluster.StartWorkerAsync();

        var job = await cluster.Client.WaitForStatusAsync(id, "completed");
        job.Attempt.ShouldBe(1);
    }

    [Fact]
    public async Task RedisDownAtSubmit_StillAccepts_AndTheJobCompletesWhenRedisIsBack()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1, redisConnectionString: redis.ConnectionString);
        await redis.StopAsync();

        var started = DateTimeOffset.UtcNow;
        var id = await cluster.Client.SubmitDemoAsync(items: 2);
        (DateTimeOffset.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(10));
        (await cluster.Client.GetJobAsync(id)).Status.ShouldBe("pending");

        await redis.RestartAsync();

        await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task WorkerShuttingDown_HandsItsUnfinishedJobBack_ForAnotherWorker()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var id = await cluster.Client.SubmitDemoAsync(items: 60, delayMs: 100);
        await cluster.Client.WaitForStatusAsync(id, "processing");
        var first = cluster.Workers[0];
        await cluster.StartWorkerAsync();

        await cluster.StopWorkerAsync(first);

        var kinds = (await cluster.Client.GetTimelineAsync(id)).Kinds();
        kinds.ShouldContain("handed_back");
        var job = await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(30));
        job.Attempt.ShouldBe(2);
    }

    [Fact]
    public async Task EntriesLeftByADeadConsumer_AreTakenOver_AndTheirJobsRun()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var queue = cluster.Api.Services.GetRequiredService<JobQueue>();
        // A consumer that reads the hint and dies before claiming the job.
        (await queue.ReadAsync("default", "ghost-consumer", 10)).Single().JobId.ShouldBe(id);

        await cluster.StartWorkerAsync();

        await cluster.Client.WaitForStatusAsync(id, "completed");
        await Eventually.TrueAsync(async () => (await queue.ConsumersAsync("default")).All(c => c.Name != "ghost-consumer"), "the dead consumer to be removed");
    }

    [Fact]
    public async Task Stats_CountTheWorkspacesJobs_AndShowOnlyTheWorkersRunningThemNow_NothingOfAnotherWorkspace()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var done = await cluster.Client.SubmitDemoAsync(items: 1);
        await cluster.Client.WaitForStatusAsync(done, "completed");
        var running = await cluster.Client.SubmitDemoAsync(items: 100, delayMs: 100);
        await cluster.Client.WaitForStatusAsync(running, "processing");
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;

        var stats = await cluster.Client.GetFromJsonAsync<JsonElement>("/api/stats");
        var theirs = await other.GetFromJsonAsync<JsonElement>("/api/stats");

        stats.GetProperty("counts").GetProperty("completed").GetInt64().ShouldBe(1);
        stats.GetProperty("throughputPerMinute").EnumerateArray().Sum(p => p.GetProperty("completed").GetInt64()).ShouldBe(1);
        stats.GetProperty("durationSeconds").GetProperty("count").GetInt64().ShouldBe(1);
        stats.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == "default").GetProperty("pendingInWorkspace").GetInt64().ShouldBe(0);
        var worker = stats.GetProperty("workers").EnumerateArray().Single();
        worker.GetProperty("runningJobs").GetInt64().ShouldBe(1);
        worker.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["heartbeatAt", "id", "runningJobs"]);
        // The other workspace runs nothing: no worker, no host, no stream length, no count of this workspace's jobs.
        theirs.GetProperty("workers").GetArrayLength().ShouldBe(0);
        theirs.GetProperty("counts").EnumerateObject().Sum(p => p.Value.GetInt64()).ShouldBe(0);
        theirs.GetProperty("queues").EnumerateArray().ShouldAllBe(q => q.EnumerateObject().Select(p => p.Name).SequenceEqual(new[] { "queue", "pendingInWorkspace" }));
    }
}
