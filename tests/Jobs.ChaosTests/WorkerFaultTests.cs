using System.Diagnostics;
using Jobs.Testing.Processes;

namespace Jobs.ChaosTests;

/// <summary>Worker processes killed, paused, slow and poisoned.</summary>
[Collection(ChaosCollection.Name)]
public sealed class WorkerFaultTests(ChaosFixture fixture) : IAsyncLifetime
{
    private ProcessCluster Cluster => fixture.Cluster;

    public async ValueTask InitializeAsync() => await fixture.EnsureHealthyAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task WorkerKilledAfterItsSideEffect_JobRunsAgainAfterLeaseExpiry_WithOneOutcome()
    {
        var id = await Cluster.SubmitDemoAsync(new { items = 20, delayMs = 100 });
        // Its side effect is in the database already: items processed and written.
        var owner = await Cluster.OwnerOnceRunningAsync(id, processedItems: 3);

        var killed = Stopwatch.StartNew();
        owner.Signal(ServiceProcess.SigKill);
        await ProcessCluster.WaitUntilAsync(async () => await Cluster.ScalarAsync<int>("SELECT attempt FROM jobs WHERE id = @id AND status = 'processing'", ("id", id)) == 2,
            "the job to run again", TimeSpan.FromSeconds(30));
        var recovery = killed.Elapsed;
        await Cluster.WaitUntilFinishedAsync([id]);

        var job = (await Cluster.AssertExactlyOnceAsync(id)).Single();
        job.Status.ShouldBe("completed");
        (job.Attempt, job.ResultAttempt, job.LeasesExpired, job.Executions).ShouldBe((2, 2, 1, 2));
        recovery.ShouldBeLessThan(Cluster.Options.RecoveryBound + TimeSpan.FromSeconds(2), fixture.Log);
    }

    [Fact]
    public async Task WorkerPausedPastItsLease_AnotherFinishesTheJob_AndTheResumedWorkersWritesChangeNothing()
    {
        var id = await Cluster.SubmitDemoAsync(new { items = 20, delayMs = 100 });
        var stale = await Cluster.OwnerOnceRunningAsync(id, processedItems: 3);

        stale.Signal(ServiceProcess.SigStop);
        try
        {
            await Cluster.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(30));
        }
        finally
        {
            var before = await Cluster.VersionAsync(id);
            stale.Signal(ServiceProcess.SigCont);
            // The resumed handler reports progress and finishes its items: every write meets the fence.
            await Task.Delay(TimeSpan.FromSeconds(4));
            (await Cluster.VersionAsync(id)).ShouldBe(before, "the stale worker changed the job after it resumed");
        }

        var job = (await Cluster.AssertExactlyOnceAsync(id)).Single();
        (job.Attempt, job.ResultAttempt, job.LeasesExpired).ShouldBe((2, 2, 1));
        stale.HasExited.ShouldBeFalse("losing a lease must not crash the worker");
    }

    [Fact]
    public async Task JobRunningThreeTimesItsLease_WithHealthyHeartbeats_IsNeverReaped_AndRunsOnce()
    {
        var lease = Cluster.Options.LeaseDuration;
        var items = 10;
        var id = await Cluster.SubmitDemoAsync(new { items, delayMs = (int)(lease * 3 / items).TotalMilliseconds });

        await Cluster.WaitUntilFinishedAsync([id]);

        var job = (await Cluster.AssertExactlyOnceAsync(id)).Single();
        job.Status.ShouldBe("completed");
        (job.Attempt, job.Executions, job.LeasesExpired).ShouldBe((1, 1L, 0L));
        var ran = await Cluster.ScalarAsync<TimeSpan>("SELECT completed_at - started_at FROM jobs WHERE id = @id", ("id", id));
        ran.ShouldBeGreaterThanOrEqualTo(lease * 3);
    }

    [Fact]
    public async Task PoisonJobThatKillsItsProcess_EndsFailedAfterItsAttempts_WithoutACrashLoop()
    {
        var crashesBefore = Cluster.WorkerCrashes;
        var poison = await Cluster.SubmitDemoAsync(new { items = 3, delayMs = 50, crashAfterItems = 1 }, maxAttempts: 3);
        var throwing = await Cluster.SubmitDemoAsync(new { items = 1, failAttempts = 10 }, maxAttempts: 2);

        await Cluster.WaitUntilFinishedAsync([poison, throwing], TimeSpan.FromSeconds(90));

        var outcomes = await Cluster.AssertExactlyOnceAsync(poison, throwing);
        var job = outcomes.Single(o => o.Id == poison);
        (job.Status, job.Attempt, job.Executions, job.LeasesExpired).ShouldBe(("failed", 3, 3L, 3L));
        outcomes.Single(o => o.Id == throwing).Status.ShouldBe("failed");
        // One crash per attempt (the handler exception crashed nothing), and none once the job has failed.
        Cluster.WorkerCrashes.ShouldBe(crashesBefore + 3, fixture.Log);
        await Task.Delay(Cluster.Options.RecoveryBound);
        Cluster.WorkerCrashes.ShouldBe(crashesBefore + 3, fixture.Log);
        await fixture.EnsureHealthyAsync();
        var after = await Cluster.SubmitDemoAsync(new { items = 1 });
        await Cluster.WaitUntilFinishedAsync([after]);
        (await Cluster.AssertExactlyOnceAsync(after)).Single().Status.ShouldBe("completed");
    }
}
