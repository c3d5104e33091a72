using System.Net;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jobs.IntegrationTests;

/// <summary>A workspace's concurrency limit holds across all workers together, and priorities within it.</summary>
public sealed class ConcurrencyLimitTests(Servers servers, ITestOutputHelper output)
{
    private const int Limit = 5;

    [Fact]
    public async Task FourWorkersRacing_NeverRunMoreThanTheLimit_AndAnotherWorkspaceRunsMeanwhile()
    {
        // Four worker hosts, each with its own connection pools and stream consumer, 32 slots in all.
        await using var cluster = await TestCluster.StartAsync(servers, workers: 4, maxConcurrentJobs: Limit);
        var (clientB, callerB) = await cluster.CreateWorkspaceClientAsync(Limit);
        var workspaceA = cluster.Caller.WorkspaceId;

        var samples = new List<(int A, int B, string[] OwnersOfA)>();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(() => SampleProcessingAsync(cluster, workspaceA, callerB.WorkspaceId, samples, stopSampling.Token));

        var idsA = await SubmitBatchAsync(cluster.Client, 60);
        // A hint for every job of A on top of the bounded ones, as a flood of duplicates would: now all four workers
        // race to claim A's jobs, and only the slots a claim requires stand between them and the limit.
        var queue = cluster.Api.Services.GetRequiredService<JobQueue>();
        await queue.AddHintsAsync(idsA.Select(id => new JobHint(id, workspaceA, "default")).ToList());
        await Eventually.TrueAsync(async () => await CountAsync(cluster, workspaceA, "processing") == Limit, "A to fill its slots");

        var idsB = await SubmitBatchAsync(clientB, 10);
        await Eventually.TrueAsync(async () => await CountAsync(cluster, callerB.WorkspaceId, "completed") == idsB.Count, "all of B's jobs to complete", TimeSpan.FromSeconds(30));
        var unfinishedA = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE workspace_id = @w AND status IN ('pending', 'processing')", ("w", workspaceA));

        await Eventually.TrueAsync(async () => await CountAsync(cluster, workspaceA, "completed") == idsA.Count, "all of A's jobs to complete", TimeSpan.FromSeconds(60));
        await stopSampling.CancelAsync();
        await sampler;

        output.WriteLine($"{samples.Count} samples; most processing at once: A {samples.Max(s => s.A)}, B {samples.Max(s => s.B)}; A ran on {samples.SelectMany(s => s.OwnersOfA).Distinct().Count()} workers; A unfinished when B was done: {unfinishedA}");
        samples.Count.ShouldBeGreaterThan(50);
        samples.Max(s => s.A).ShouldBe(Limit);
        samples.Max(s => s.B).ShouldBeLessThanOrEqualTo(Limit);
        samples.SelectMany(s => s.OwnersOfA).Distinct().Count().ShouldBeGreaterThan(1);
        // B's throughput is unaffected: its jobs ran alongside A's full share and were all done long before A's.
        samples.ShouldContain(s => s.A == Limit && s.B > 0);
        unfinishedA.ShouldBeGreaterThan(20);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE workspace_id = @w AND attempt <> 1", ("w", workspaceA))).ShouldBe(0);
    }

    [Fact]
    public async Task SaturatedWorkspace_StartsALaterHighPriorityJob_BeforeEarlierLowPriorityOnes()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1, maxConcurrentJobs: 1);
        var blocker = await cluster.Client.SubmitDemoAsync(items: 10, delayMs: 100);
        await cluster.Client.WaitForStatusAsync(blocker, "processing");

        var low = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            low.Add(await cluster.Client.SubmitAsync(new { type = "demo", payload = new { items = 1 }, priority = -5 }));
        }

        var high = await cluster.Client.SubmitAsync(new { type = "demo", payload = new { items = 1 }, priority = 50 });
        (await cluster.Client.GetJobAsync(blocker)).Status.ShouldBe("processing");

        foreach (var id in low.Append(high))
        {
            await cluster.Client.WaitForStatusAsync(id, "completed");
        }

        var startedHigh = await StartedAtAsync(cluster, high);
        var startedLow = new List<DateTime>();
        foreach (var id in low)
        {
            startedLow.Add(await StartedAtAsync(cluster, id));
        }

        startedHigh.ShouldBeLessThan(startedLow.Min());
        // Equal priorities keep their submission order.
        startedLow.ShouldBeInOrder(SortDirection.Ascending);
    }

    private static async Task SampleProcessingAsync(TestCluster cluster, Guid workspaceA, Guid workspaceB, List<(int A, int B, string[] OwnersOfA)> samples, CancellationToken stop)
    {
        // Its own pool, and one statement per sample, so every sample is one consistent snapshot.
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        while (!stop.IsCancellationRequested)
        {
            await using (var command = dataSource.CreateCommand("SELECT workspace_id, lease_owner FROM jobs WHERE status = 'processing'"))
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                var rows = new List<(Guid Workspace, string Owner)>();
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    rows.Add((reader.GetGuid(0), reader.GetString(1)));
                }

                samples.Add((
                    rows.Count(r => r.Workspace == workspaceA),
                    rows.Count(r => r.Workspace == workspaceB),
                    rows.Where(r => r.Workspace == workspaceA).Select(r => r.Owner).ToArray()));
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static async Task<List<Guid>> SubmitBatchAsync(HttpClient client, int count)
    {
        var jobs = Enumerable.Range(0, count).Select(_ => new { type = "demo", payload = new { items = 3, delayMs = 100 } }).ToArray();
        var (status, body) = await client.PostAsync("/api/jobs/batch", new { jobs });
        status.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        return body.As<SubmitBatchResponse>().Jobs.Select(j => j.JobId).ToList();
    }

    private static async Task<long> CountAsync(TestCluster cluster, Guid workspaceId, string status) =>
        await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE workspace_id = @w AND status = @s", ("w", workspaceId), ("s", status));

    private static async Task<DateTime> StartedAtAsync(TestCluster cluster, Guid id) =>
        await cluster.ScalarAsync<DateTime>("SELECT started_at FROM jobs WHERE id = @id", ("id", id));
}
