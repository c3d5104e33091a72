using Jobs.Testing.Processes;

namespace Jobs.ChaosTests;

/// <summary>
/// A workspace's concurrency limit holds across worker processes racing for its jobs (never more than its
/// limit processing at any sampled moment), while another workspace's jobs keep their pace.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class WorkspaceLimitTests(ChaosFixture fixture) : IAsyncLifetime
{
    private const int AcmeLimit = 5;

    private ProcessCluster Cluster => fixture.Cluster;

    public async ValueTask InitializeAsync() => await fixture.EnsureHealthyAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task FourWorkerProcessesRacing_NeverRunMoreThanTheLimit_OfAWorkspace_AndAnotherWorkspaceKeepsItsPace()
    {
        // Arrange: a fourth worker process (32 slots in all), and acme at its default limit of five.
        var fourth = await Cluster.StartWorkerAsync();
        try
        {
            var acme = await Cluster.ScalarAsync<Guid>("SELECT id FROM workspaces WHERE name = 'acme'");
            await Cluster.ScalarAsync<int>("UPDATE workspaces SET max_concurrent_jobs = @limit WHERE id = @id", ("limit", AcmeLimit), ("id", acme));

            // Act: 40 acme jobs of about 0.4 s (eight slot turnovers at least), then 20 short demo jobs beside them.
            var acmeJobs = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
                Cluster.SubmitDemoAsync(new { items = 4, delayMs = 100 }, client: Cluster.AcmeClient)));
            var demoJobs = await Cluster.SubmitManyAsync(20, new { items = 1 });
            var most = 0L;
            var owners = new HashSet<string>(StringComparer.Ordinal);
            var samples = 0;
            var demoDoneWhileAcmeWaited = false;
            while (await Cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND completed_at IS NULL", ("ids", acmeJobs)) > 0)
            {
                most = Math.Max(most, await Cluster.ScalarAsync<long>(
                    "SELECT count(*) FROM jobs WHERE workspace_id = @id AND status = 'processing'", ("id", acme)));
                owners.UnionWith((await Cluster.ScalarAsync<string>(
                    "SELECT coalesce(string_agg(DISTINCT lease_owner, ','), '') FROM jobs WHERE workspace_id = @id AND status = 'processing'", ("id", acme)))!
                    .Split(',', StringSplitOptions.RemoveEmptyEntries));
                demoDoneWhileAcmeWaited |= await Cluster.ScalarAsync<long>(
                    "SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND status = 'completed'", ("ids", demoJobs)) == demoJobs.Length;
                samples++;
                await Task.Delay(25);
            }

            // Assert: the limit was reached and never passed, by jobs spread over several processes; the other
            // workspace's jobs all finished while acme's backlog still waited.
            most.ShouldBe(AcmeLimit, $"{samples} samples");
            owners.Count.ShouldBeGreaterThan(1, "acme's jobs ran on one worker only: nothing raced");
            demoDoneWhileAcmeWaited.ShouldBeTrue("the demo workspace's jobs waited for acme's backlog");
            await Cluster.WaitUntilFinishedAsync([.. acmeJobs, .. demoJobs]);
            await Cluster.AssertExactlyOnceAsync([.. acmeJobs, .. demoJobs]);
        }
        finally
        {
            Cluster.SignalWorker(fourth, ServiceProcess.SigTerm);
            await fourth.WaitForExitAsync(Cluster.Options.ShutdownGracePeriod + TimeSpan.FromSeconds(10));
        }
    }
}
