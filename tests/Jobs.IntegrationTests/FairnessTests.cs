using System.Net;
using Jobs.Core.Engine.Queue;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>A backlog in one workspace delays another workspace's job by at most one slot turnover.</summary>
public sealed class FairnessTests(Servers servers, ITestOutputHelper output)
{
    private const int Backlog = 10_000;
    private const int Limit = 5;

    [Fact]
    public async Task TenThousandQueuedJobsInOneWorkspace_DelayAnotherWorkspacesJob_ByAtMostOneSlotTurnover()
    {
        // One worker with exactly as many slots as A's limit: A's jobs fill the whole pool, so B's job can only start
        // when one of A's ends, and what decides whether it starts then is what lies before its hint on the stream.
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, maxConcurrentJobs: Limit,
            overrides: new Dictionary<string, string?> { ["Worker:Slots"] = $"{Limit}" });
        var (clientB, _) = await cluster.CreateWorkspaceClientAsync(Limit);
        var workspaceA = cluster.Caller.WorkspaceId;
        var queue = cluster.Api.Services.GetRequiredService<JobQueue>();

        for (var batch = 0; batch < Backlog / 1000; batch++)
        {
            var jobs = Enumerable.Range(0, 1000).Select(_ => new { type = "demo", payload = new { items = 4, delayMs = 100 } }).ToArray();
            var (status, body) = await cluster.Client.PostAsync("/api/jobs/batch", new { jobs });
            status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        }

        // Admission-bounded hinting: the backlog is in the database, not on the stream.
        (await queue.LengthAsync("default")).ShouldBeLessThanOrEqualTo(Limit);

        await cluster.StartWorkerAsync();
        await Eventually.TrueAsync(async () => await CountAsync(cluster, workspaceA, "completed") >= 2 * Limit, "A's jobs to have turned every slot over at least once");
        await Eventually.TrueAsync(async () => await CountAsync(cluster, workspaceA, "processing") == Limit, "A to fill every slot of the pool");

        var maxStreamLength = 0L;
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                maxStreamLength = Math.Max(maxStreamLength, await queue.LengthAsync("default"));
                await Task.Delay(20);
            }
        });

        var idB = await clientB.SubmitDemoAsync(items: 1);
        await clientB.WaitForStatusAsync(idB, "completed", TimeSpan.FromSeconds(30));
        var completedAtB = await CountAsync(cluster, workspaceA, "completed");
        await stopSampling.CancelAsync();
        await sampler;

        var waitB = await cluster.ScalarAsync<double>("SELECT extract(epoch FROM started_at - created_at)::float8 FROM jobs WHERE id = @id", ("id", idB));
        var turnoverA = await cluster.ScalarAsync<double>(
            "SELECT max(extract(epoch FROM completed_at - started_at))::float8 FROM jobs WHERE workspace_id = @w AND status = 'completed'", ("w", workspaceA));
        var meanTurnoverA = await cluster.ScalarAsync<double>(
            "SELECT avg(extract(epoch FROM completed_at - started_at))::float8 FROM jobs WHERE workspace_id = @w AND status = 'completed'", ("w", workspaceA));
        output.WriteLine($"B waited {waitB * 1000:F0} ms behind a backlog of {Backlog} of A's jobs; A's slot turnover: mean {meanTurnoverA * 1000:F0} ms, max {turnoverA * 1000:F0} ms; longest stream {maxStreamLength} entries");

        // One turnover of A's, one maintenance tick (200 ms) and a second of margin for a loaded machine. Without
        // the bound B's hint would sit behind 10,000 of A's and wait for A's whole backlog (over ten minutes here).
        waitB.ShouldBeLessThan(turnoverA + 0.2 + 1.0);
        maxStreamLength.ShouldBeLessThanOrEqualTo(4 * Limit);

        // A's backlog keeps draining at its full share meanwhile.
        await Eventually.TrueAsync(async () => await CountAsync(cluster, workspaceA, "completed") >= completedAtB + 2 * Limit, "A's backlog to keep draining");
        (await CountAsync(cluster, workspaceA, "pending")).ShouldBeGreaterThan(Backlog / 2);
    }

    private static async Task<long> CountAsync(TestCluster cluster, Guid workspaceId, string status) =>
        await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE workspace_id = @w AND status = @s", ("w", workspaceId), ("s", status));
}
