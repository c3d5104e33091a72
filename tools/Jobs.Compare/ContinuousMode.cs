using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobs.Client;
using Jobs.Testing.Processes;

namespace Jobs.Compare;

/// <summary>
/// A steady backlog: no-op jobs offered through the batch endpoint at <see cref="Plan.ContinuousRate"/> a second
/// (a batch every 100 ms) while the workers run. Completion rate is the jobs completed over the span from the first
/// one's created_at to the last one's completed_at; latency is completed_at − created_at per job, both written by
/// the database, so submit → completion as the system records it.
/// </summary>
public sealed class ContinuousMode(ProcessCluster cluster, Plan plan, Action<string> progress)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public async Task<JsonObject> RunAsync(JobsClient client)
    {
        progress($"jobs: continuous mode, {plan.ContinuousRate} jobs/s through POST /api/jobs/batch for {plan.ContinuousDuration.TotalSeconds:0} s");
        var ids = new ConcurrentQueue<Guid>();
        var inFlight = new List<Task>();
        // Requests run side by side so that a slow answer does not lower the offered rate; beyond this many the
        // offer falls behind instead, and the offered rate below says so.
        using var gate = new SemaphoreSlim(32);
        var sent = 0L;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(Tick);
        while (clock.Elapsed < plan.ContinuousDuration && await timer.WaitForNextTickAsync())
        {
            var due = (long)(plan.ContinuousRate * Math.Min(clock.Elapsed.TotalSeconds, plan.ContinuousDuration.TotalSeconds)) - sent;
            while (due > 0 && gate.CurrentCount > 0)
            {
                var size = (int)Math.Min(due, 1000);
                due -= size;
                sent += size;
                await gate.WaitAsync();
                var batch = JobsRequests.Batch(JobsRequests.NoOp, size);
                inFlight.Add(Task.Run(async () =>
                {
                    try
                    {
                        foreach (var job in (await client.SubmitBatchAsync(batch)).Jobs)
                        {
                            ids.Enqueue(job.JobId);
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
        }

        await Task.WhenAll(inFlight);
        var offerSeconds = clock.Elapsed.TotalSeconds;
        var all = ids.ToArray();
        var drain = Stopwatch.StartNew();
        // Drained when nothing is pending or processing: a count over the partial indexes, cheaper than looking up every id.
        while (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE status IN ('pending', 'processing')") > 0
               && drain.Elapsed < plan.ContinuousDrain)
        {
            await Task.Delay(200);
        }

        var done = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND completed_at IS NOT NULL", ("ids", all));

        var rows = await Sql.RowsAsync(cluster, """
            SELECT extract(epoch FROM completed_at - created_at)::float8 * 1000
            FROM jobs
            WHERE id = ANY(@ids)
              AND completed_at IS NOT NULL
            """, ("ids", all));
        var latencies = rows.Select(r => (double)r[0]!).ToList();
        var span = await cluster.ScalarAsync<double>(
            "SELECT coalesce(extract(epoch FROM max(completed_at) - min(created_at))::float8, 0) FROM jobs WHERE id = ANY(@ids)", ("ids", all));
        var latency = Latency.From(latencies, latencies.Count, 1, 1);
        var rate = done / Math.Max(span, 1e-9);
        progress($"jobs: {done}/{all.Length} completed, {rate:F0} jobs/s; submit → completion p50 {latency.P50:F0} / p99 {latency.P99:F0} ms");
        return new JsonObject
        {
            ["targetRate"] = plan.ContinuousRate,
            ["offeredJobs"] = all.Length,
            ["offeredRate"] = all.Length / offerSeconds,
            ["completed"] = done,
            ["seconds"] = span,
            ["completionRate"] = rate,
            ["drainBoundHit"] = done < all.Length,
            ["p50"] = latency.P50,
            ["p95"] = latency.P95,
            ["p99"] = latency.P99,
        };
    }
}
