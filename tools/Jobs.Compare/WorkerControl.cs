using System.Diagnostics;
using Jobs.Testing.Processes;

namespace Jobs.Compare;

/// <summary>Starting and stopping the cluster's worker processes between scenarios, and leaving no work behind.</summary>
internal static class WorkerControl
{
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(60);

    public static Task StartAsync(ProcessCluster cluster, int workers) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => cluster.StartWorkerAsync()));

    /// <summary>SIGTERM to every worker, as a deployment stops them, and waits for each to exit.</summary>
    public static async Task StopAsync(ProcessCluster cluster)
    {
        foreach (var worker in cluster.Workers)
        {
            cluster.SignalWorker(worker, ServiceProcess.SigTerm);
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
            worker.Dispose();
        }
    }

    /// <summary>
    /// Lets the running workers finish what is pending (bounded), stops them, and cancels whatever is still pending,
    /// so that the next scenario's backlog is exactly what it submits. Returns the jobs cancelled.
    /// </summary>
    public static async Task<int> QuiesceAsync(ProcessCluster cluster)
    {
        var drain = Stopwatch.StartNew();
        while (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE status IN ('pending', 'processing')") > 0 && drain.Elapsed < DrainBound)
        {
            await Task.Delay(200);
        }

        await StopAsync(cluster);
        return await cluster.ScalarAsync<int>("""
            WITH c AS (
                UPDATE jobs
                SET status = 'cancelled', completed_at = now(), cancel_requested_at = now(), hinted_at = NULL
                WHERE status = 'pending'
                RETURNING 1)
            SELECT count(*)::int FROM c
            """);
    }
}
