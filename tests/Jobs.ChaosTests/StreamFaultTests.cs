using Jobs.Messaging;
using Jobs.Testing.Processes;
using StackExchange.Redis;

namespace Jobs.ChaosTests;

/// <summary>Duplicated hints, entries stolen by XAUTOCLAIM, a stream trimmed under its readers.</summary>
[Collection(ChaosCollection.Name)]
public sealed class StreamFaultTests(ChaosFixture fixture) : IAsyncLifetime
{
    private static readonly RedisKey Stream = new RedisKeys("").Stream("default");

    private ProcessCluster Cluster => fixture.Cluster;

    public async ValueTask InitializeAsync() => await fixture.EnsureHealthyAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task SameJobHintedThreeTimes_AndEntriesMovedByXAutoClaim_RunOnce()
    {
        await using var redis = await fixture.ConnectRedisAsync();
        var db = redis.GetDatabase();
        Guid raced, stolen;
        PauseWorkers();
        try
        {
            // stolen: all three hints read by a consumer that then dies, and moved by XAUTOCLAIM to another dead one.
            // The submit hints the job only within the workspace's free slots (fair scheduling), which jobs of earlier
            // scenarios may still hold: the three hints are added here, so the scenario does not depend on them.
            stolen = await Cluster.SubmitDemoAsync(new { items = 1 });
            await HintAgainAsync(db, stolen, 3);
            var read = await db.StreamReadGroupAsync(Stream, RedisKeys.ConsumerGroup, "ghost-reader", ">", 100);
            read.Count(e => e["job"] == stolen.ToString()).ShouldBeGreaterThanOrEqualTo(3);
            // From the first of its entries: the group's pending list may begin with entries of earlier scenarios whose
            // stream entries are gone (a trimmed stream), which XAUTOCLAIM reports as deleted and counts against COUNT.
            var first = read.Where(e => e["job"] == stolen.ToString())
                .Select(e => e.Id.ToString().Split('-'))
                .OrderBy(id => long.Parse(id[0], System.Globalization.CultureInfo.InvariantCulture))
                .ThenBy(id => long.Parse(id[1], System.Globalization.CultureInfo.InvariantCulture))
                .Select(id => string.Join('-', id))
                .First();
            var claimed = (RedisResult[])(await db.ExecuteAsync("XAUTOCLAIM", Stream, RedisKeys.ConsumerGroup, "ghost-claimer", 0, first, "COUNT", 2))!;
            ((RedisResult[])claimed[1]!).Length.ShouldBe(2);
            // raced: three hints that the live workers read at once.
            raced = await Cluster.SubmitDemoAsync(new { items = 1 });
            await HintAgainAsync(db, raced, 2);
        }
        finally
        {
            ResumeWorkers();
        }

        await Cluster.WaitUntilFinishedAsync([raced, stolen]);

        foreach (var job in await Cluster.AssertExactlyOnceAsync(raced, stolen))
        {
            (job.Status, job.Attempt, job.Executions).ShouldBe(("completed", 1, 1L));
        }

        // The dead consumers' entries were taken over and the consumers removed.
        await ProcessCluster.WaitUntilAsync(async () => (await db.StreamConsumerInfoAsync(Stream, RedisKeys.ConsumerGroup))
            .All(c => !c.Name.ToString().StartsWith("ghost-", StringComparison.Ordinal)), "the dead consumers to be taken over", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task StreamTrimmedWhileItsEntriesArePending_JobsAreRecoveredFromPostgres()
    {
        await using var redis = await fixture.ConnectRedisAsync();
        var db = redis.GetDatabase();
        Guid[] ids;
        PauseWorkers();
        try
        {
            ids = await Cluster.SubmitManyAsync(10, new { items = 1 });
            (await db.StreamReadGroupAsync(Stream, RedisKeys.ConsumerGroup, "ghost-trimmed", ">", 100)).Length.ShouldBe(10);
            await db.StreamTrimAsync(Stream, 0);
            (await db.StreamLengthAsync(Stream)).ShouldBe(0);
        }
        finally
        {
            ResumeWorkers();
        }

        await Cluster.WaitUntilFinishedAsync(ids);

        foreach (var job in await Cluster.AssertExactlyOnceAsync(ids))
        {
            (job.Status, job.Attempt, job.Executions).ShouldBe(("completed", 1, 1L));
        }
    }

    private static Task HintAgainAsync(IDatabase db, Guid id, int times) =>
        Task.WhenAll(Enumerable.Range(0, times).Select(_ => db.StreamAddAsync(Stream, "job", id.ToString())));

    // Briefly (well under a lease and the dead-worker age), so that only the hints are arranged, not an expiry.
    private void PauseWorkers()
    {
        foreach (var worker in Cluster.Workers)
        {
            worker.Signal(ServiceProcess.SigStop);
        }
    }

    private void ResumeWorkers()
    {
        foreach (var worker in Cluster.Workers)
        {
            worker.Signal(ServiceProcess.SigCont);
        }
    }
}
