using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HdrHistogram;
using Jobs.Client;
using Jobs.Contracts.Jobs;

namespace Jobs.Bench;

/// <summary>
/// <c>submit</c> (the default command):
///  1. submit latency: POST /api/jobs until 202, from <c>--concurrency</c> parallel clients;
///  2. throughput: from the first submit until every job is completed (polled through GET /api/jobs/{id}).
/// Options: --api URL (http://127.0.0.1:5080) --key KEY --jobs N (2000) --concurrency C (16) --items I (0)
/// The system must allow the key that many requests: Jobs__Dev__RequestsPerMinute=1000000 (the demo workspace's limit).
/// </summary>
internal static class SubmitCommand
{
    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var api = arguments.String("--api", "http://127.0.0.1:5080");
        var key = arguments.ApiKey();
        var jobs = arguments.Int("--jobs", 2000, min: 1);
        var concurrency = arguments.Int("--concurrency", 16, min: 1);
        var items = arguments.Int("--items", 0);
        arguments.ThrowIfUnused();

        using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(30) };
        var client = new JobsClient(http, key);
        // Built once, so that what is measured is the request and not the building of it.
        var job = new SubmitJobRequest("demo", JsonSerializer.SerializeToElement(new { items }, JsonSerializerOptions.Web));

        // Warm-up: JIT, connection pools, the catalog cache.
        for (var i = 0; i < 20; i++)
        {
            await SubmitAsync(client, job, ct);
        }

        var latency = new LongHistogram(TimeStamp.Seconds(10), 3);
        var ids = new List<Guid>(jobs);
        var next = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= jobs)
            {
                var before = Stopwatch.GetTimestamp();
                var id = await SubmitAsync(client, job, ct);
                var elapsed = Stopwatch.GetTimestamp() - before;
                lock (latency)
                {
                    latency.RecordValue(elapsed);
                    ids.Add(id);
                }
            }
        }));
        var submitted = Stopwatch.GetElapsedTime(started);

        // Drain: every submitted job must reach completed; anything else is reported, not hidden.
        var pending = new HashSet<Guid>(ids);
        var failed = 0;
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var id in pending.Take(200).ToList())
            {
                var status = (await client.GetAsync(id, ct))!.Status;
                if (status is "completed" or "failed" or "cancelled")
                {
                    pending.Remove(id);
                    failed += status == "completed" ? 0 : 1;
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(100, ct);
            }
        }

        var drained = Stopwatch.GetElapsedTime(started);
        double Ms(double percentile) => latency.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jobs={jobs} concurrency={concurrency} items={items}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submit latency ms: p50={Ms(50):F2} p95={Ms(95):F2} p99={Ms(99):F2} max={Ms(100):F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submit rate: {jobs / submitted.TotalSeconds:F0} jobs/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"end to end: {jobs - pending.Count - failed} completed, {failed} not completed, {pending.Count} unfinished after {drained.TotalSeconds:F1} s = {(jobs - pending.Count) / drained.TotalSeconds:F0} jobs/s"));
        return pending.Count == 0 && failed == 0 ? 0 : 1;
    }

    private static async Task<Guid> SubmitAsync(JobsClient client, SubmitJobRequest job, CancellationToken ct)
    {
        try
        {
            return (await client.SubmitAsync(job, ct)).JobId;
        }
        catch (JobsRateLimitedException e)
        {
            // The demo workspace's requests_per_minute (600) is far below a benchmark's rate.
            throw new InvalidOperationException(
                $"Submit answered 429: start the system with Api__LimitCeilings__RequestsPerMinute=1000000 Jobs__Dev__RequestsPerMinute=1000000 (docs/benchmarks.md). {e.Message}", e);
        }
    }
}
