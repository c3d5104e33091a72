using System.Diagnostics;
using Jobs.Core.Engine.Storage;
using Jobs.Hosting.Local;
using Jobs.Testing.Processes;

namespace Jobs.ChaosTests;

/// <summary>
/// A paused maintenance leader replaced, and a worker stopped with jobs in flight (or while
/// it is still starting).
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class LeaderAndShutdownTests(ChaosFixture fixture) : IAsyncLifetime
{
    private const string Maintenance = "maintenance";

    // How long a claim begun just before SIGTERM may take to commit on a loaded machine.
    private static readonly TimeSpan ClaimInFlight = TimeSpan.FromSeconds(1);

    private ProcessCluster Cluster => fixture.Cluster;

    public async ValueTask InitializeAsync() => await fixture.EnsureHealthyAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task PausedLeaderIsReplaced_AndItsStaleTermWritesNothing()
    {
        await ProcessCluster.WaitUntilAsync(async () => Cluster.WorkerById((await LeaderAsync()).LeaderId) is not null
            && await Cluster.ScalarAsync<bool>("SELECT expires_at > now() FROM leader_leases WHERE name = @n", ("n", Maintenance)), "a live leader", TimeSpan.FromSeconds(30));
        var old = await LeaderAsync();
        var oldProcess = Cluster.WorkerById(old.LeaderId).ShouldNotBeNull();
        await using var store = new StoreAccess(Cluster.DatabaseConnectionString);
        var expired = await store.InsertUnservedAsync(1);
        LeaderTerm current;
        ServiceProcess? currentProcess = null;

        oldProcess.Signal(ServiceProcess.SigStop);
        try
        {
            await ProcessCluster.WaitUntilAsync(async () => (await LeaderAsync()).LeaderId != old.LeaderId, "another leader",
                Cluster.Options.LeaderTtl + TimeSpan.FromSeconds(5));
            current = await LeaderAsync();
            current.Term.ShouldBeGreaterThan(old.Term);
            // Pause the new leader too: nobody else rescues the lease below, so only the term decides.
            currentProcess = Cluster.WorkerById(current.LeaderId).ShouldNotBeNull();
            currentProcess.Signal(ServiceProcess.SigStop);
            (await store.Jobs.JobClaimManyAsync(new JobClaimManyParams(expired, "ghost-worker", TimeSpan.FromMilliseconds(1)), CancellationToken.None)).Claimed.Count.ShouldBe(1);
            await Task.Delay(50);

            (await store.Jobs.JobRescueExpiredAsync(old, 10, CancellationToken.None)).ShouldBeEmpty();
            (await Cluster.ScalarAsync<string>("SELECT status FROM jobs WHERE id = @id", ("id", expired[0]))).ShouldBe("processing");
            (await store.Jobs.JobRescueExpiredAsync(current, 10, CancellationToken.None)).Select(j => j.Id).ShouldBe(expired);
        }
        finally
        {
            currentProcess?.Signal(ServiceProcess.SigCont);
            oldProcess.Signal(ServiceProcess.SigCont);
            await StoreAccess.DeleteAsync(Cluster, expired);
        }

        // Resumed, the old leader's next tick fails to re-elect itself: it neither takes the role back nor bumps the term.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            var now = await LeaderAsync();
            now.LeaderId.ShouldNotBe(old.LeaderId);
            now.Term.ShouldBeGreaterThanOrEqualTo(current.Term);
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task WorkerGivenSigtermWhileItsStartWaitsForPostgres_ExitsCleanly()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        using var worker = ServiceProcess.Start("worker-starting", ProcessCluster.WorkerDll, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = url,
            ["HTTP_PORTS"] = null,
            ["HTTPS_PORTS"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            // Nothing listens on this port: the worker's migrations retry until it is stopped.
            ["ConnectionStrings__jobsdb"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=jobs;Password=jobs;Database=jobs",
            ["ConnectionStrings__redis"] = Cluster.Redis.ConnectionString,
        }, url);
        await ProcessCluster.WaitUntilAsync(() => Task.FromResult(worker.Tail.Contains("PostgreSQL is not reachable yet", StringComparison.Ordinal)),
            "the worker to wait for PostgreSQL", TimeSpan.FromSeconds(30));

        worker.Signal(ServiceProcess.SigTerm);

        (await worker.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldBeTrue(worker.Tail);
        worker.ExitCode.ShouldBe(0, worker.Tail);
        worker.Tail.ShouldContain("Received SIGTERM; stopping");
    }

    [Fact]
    public async Task WorkerGivenSigtermWithJobsInFlight_ClaimsNothingNew_AndFinishesOrHandsBackEachJob()
    {
        var longJobs = await Cluster.SubmitManyAsync(6, new { items = 30, delayMs = 100 });
        var shortJobs = await Cluster.SubmitManyAsync(6, new { items = 1, delayMs = 500 });
        string workerId = "";
        ServiceProcess? worker = null;
        await ProcessCluster.WaitUntilAsync(async () =>
        {
            workerId = await Cluster.ScalarAsync<string>("SELECT lease_owner FROM jobs WHERE id = ANY(@ids) AND status = 'processing' LIMIT 1", ("ids", longJobs)) ?? "";
            worker = workerId.Length > 0 ? Cluster.WorkerById(workerId) : null;
            return worker is not null;
        }, "a worker to hold a long job", TimeSpan.FromSeconds(30));
        var held = await OwnedByAsync(workerId, DateTime.UnixEpoch);

        var signalled = await Cluster.ScalarAsync<DateTime>("SELECT clock_timestamp()");
        var stopped = Stopwatch.StartNew();
        Cluster.SignalWorker(worker!, ServiceProcess.SigTerm);
        var more = await Cluster.SubmitManyAsync(6, new { items = 1 });
        while (!worker!.HasExited)
        {
            // A claim already under way when the signal arrived may still commit; a claim begun later may not.
            (await OwnedByAsync(workerId, signalled + ClaimInFlight)).ShouldBeEmpty("the stopping worker claimed a new job");
            stopped.Elapsed.ShouldBeLessThan(Cluster.Options.ShutdownGracePeriod + TimeSpan.FromSeconds(10), "the worker did not stop");
            await Task.Delay(100);
        }

        worker.ExitCode.ShouldBe(0, worker.Tail);
        (await Cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE lease_owner = @w", ("w", workerId))).ShouldBe(0);
        (await Cluster.ScalarAsync<long>("SELECT count(*) FROM workers WHERE id = @w", ("w", workerId))).ShouldBe(0);
        Guid[] all = [.. longJobs, .. shortJobs, .. more];
        await Cluster.WaitUntilFinishedAsync(all);
        var outcomes = await Cluster.AssertExactlyOnceAsync(all);
        // Its long jobs did not fit in the grace period: handed back, not left to expire.
        var handedBack = outcomes.Where(o => held.Contains(o.Id) && longJobs.Contains(o.Id)).ToList();
        handedBack.ShouldNotBeEmpty();
        handedBack.ShouldAllBe(o => o.HandedBack == 1 && o.LeasesExpired == 0 && o.Status == "completed");
    }

    private async Task<LeaderTerm> LeaderAsync()
    {
        var id = await Cluster.ScalarAsync<string>("SELECT leader_id FROM leader_leases WHERE name = @n", ("n", Maintenance));
        var term = await Cluster.ScalarAsync<long>("SELECT term FROM leader_leases WHERE name = @n", ("n", Maintenance));
        return new LeaderTerm(Maintenance, id!, term);
    }

    // Jobs the worker holds whose current attempt it claimed after the given moment (database clock).
    private async Task<Guid[]> OwnedByAsync(string workerId, DateTime claimedAfter) =>
        await Cluster.ScalarAsync<Guid[]>("""
            SELECT coalesce(array_agg(j.id), '{}')
            FROM jobs j
            WHERE j.lease_owner = @w
              AND j.status = 'processing'
              AND (SELECT max(e.created_at) FROM job_events e WHERE e.job_id = j.id AND e.kind = 'started') > @after
            """, ("w", workerId), ("after", claimedAfter)) ?? [];
}
