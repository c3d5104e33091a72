using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.Testing.Processes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jobs.Compare;

/// <summary>
/// Live updates as a browser gets them: one SignalR connection subscribed to the whole workspace while
/// <see cref="Plan.EventJobs"/> demo jobs report progress. Each progress update's latency is its receipt here minus
/// its own timestamp, the row's updated_at, which the progress write sets to now() in the database: so the figure
/// is "progress write (its statement's start in PostgreSQL) → received by the SignalR client", and it includes
/// the write and its commit, the publish through Redis, the API's relay and the WebSocket. Database and client
/// share this machine's clock.
/// </summary>
public sealed class EventLatency(ProcessCluster cluster, Plan plan, Action<string> progress)
{
    public async Task<JsonObject> RunAsync(JobsClient client)
    {
        var received = new ConcurrentQueue<(Guid JobId, double Milliseconds)>();
        var others = 0;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(cluster.ApiUrl), "/hubs/jobs"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.Headers["X-Api-Key"] = ProcessCluster.ApiKey;
            })
            .Build();
        connection.On<JobUpdate>("jobUpdated", update =>
        {
            var now = DateTimeOffset.UtcNow;
            // Progress writes only: they carry processedItems; the claim's and the outcome's updates do not count.
            if (update is { Status: JobStatus.Processing, ProcessedItems: not null })
            {
                received.Enqueue((update.JobId, (now - update.Timestamp).TotalMilliseconds));
            }
            else
            {
                Interlocked.Increment(ref others);
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeWorkspace");

        progress($"jobs: event latency, {plan.EventJobs} demo jobs of {plan.EventItems} items × {plan.EventDelayMs} ms reporting to one SignalR client");
        var job = JobsRequests.Demo(new { items = plan.EventItems, delayMs = plan.EventDelayMs });
        var ids = new List<Guid>();
        for (var left = plan.EventJobs; left > 0; left -= plan.BatchSize)
        {
            var batch = JobsRequests.Batch(job, Math.Min(left, plan.BatchSize));
            ids.AddRange((await client.SubmitBatchAsync(batch)).Jobs.Select(j => j.JobId));
        }

        var clock = Stopwatch.StartNew();
        long done;
        var bound = TimeSpan.FromSeconds(30 + (plan.EventJobs * plan.EventItems * plan.EventDelayMs / 1000.0 / 50));
        while ((done = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND completed_at IS NOT NULL", ("ids", ids.ToArray()))) < ids.Count
               && clock.Elapsed < bound)
        {
            await Task.Delay(200);
        }

        // The last updates may still be on their way.
        await Task.Delay(500);
        var ours = ids.ToHashSet();
        var samples = received.Where(r => ours.Contains(r.JobId)).Select(r => r.Milliseconds).ToList();
        var latency = Latency.From(samples, samples.Count, 1, 1);
        progress($"jobs: {samples.Count} progress updates received, p50 {latency.P50:F1} / p95 {latency.P95:F1} / p99 {latency.P99:F1} ms");
        return new JsonObject
        {
            ["definition"] = "progress write's now() in PostgreSQL (the update's timestamp, updated_at) → jobUpdated received by one workspace-wide SignalR client",
            ["jobs"] = ids.Count,
            ["completed"] = done,
            ["items"] = plan.EventItems,
            ["delayMs"] = plan.EventDelayMs,
            ["samples"] = samples.Count,
            ["otherUpdates"] = others,
            ["p50"] = latency.P50,
            ["p95"] = latency.P95,
            ["p99"] = latency.P99,
            ["max"] = samples.Count > 0 ? samples.Max() : null,
        };
    }
}
