using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using HdrHistogram;

// Measures the engine from outside, as a client sees it, against a running system (./run.sh):
//  1. submit latency: POST /api/jobs until 202, from `--concurrency` parallel clients;
//  2. throughput: from the first submit until every job is completed (polled through GET /api/jobs).
// Usage: dotnet run -c Release --project tools/Jobs.Bench -- [--api URL] [--key KEY] [--jobs N] [--concurrency C] [--items I]
var options = BenchOptions.Parse(args);
using var http = new HttpClient { BaseAddress = new Uri(options.Api), Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Add("X-Api-Key", options.Key);

// Warm-up: JIT, connection pools, the catalog cache.
for (var i = 0; i < 20; i++)
{
    await SubmitAsync(http, options.Items);
}

var latency = new LongHistogram(TimeStamp.Seconds(10), 3);
var ids = new List<Guid>(options.Jobs);
var next = 0;
var started = Stopwatch.GetTimestamp();
await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
{
    while (Interlocked.Increment(ref next) <= options.Jobs)
    {
        var before = Stopwatch.GetTimestamp();
        var id = await SubmitAsync(http, options.Items);
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
        var status = (await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("status").GetString();
        if (status is "completed" or "failed" or "cancelled")
        {
            pending.Remove(id);
            failed += status == "completed" ? 0 : 1;
        }
    }

    if (pending.Count > 0)
    {
        await Task.Delay(100);
    }
}

var drained = Stopwatch.GetElapsedTime(started);
double Ms(double percentile) => latency.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jobs={options.Jobs} concurrency={options.Concurrency} items={options.Items}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submit latency ms: p50={Ms(50):F2} p95={Ms(95):F2} p99={Ms(99):F2} max={Ms(100):F2}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submit rate: {options.Jobs / submitted.TotalSeconds:F0} jobs/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"end to end: {options.Jobs - pending.Count - failed} completed, {failed} not completed, {pending.Count} unfinished after {drained.TotalSeconds:F1} s = {(options.Jobs - pending.Count) / drained.TotalSeconds:F0} jobs/s"));
return pending.Count == 0 && failed == 0 ? 0 : 1;

static async Task<Guid> SubmitAsync(HttpClient http, int items)
{
    using var response = await http.PostAsJsonAsync("/api/jobs", new { type = "demo", payload = new { items } });
    if ((int)response.StatusCode != 202)
    {
        throw new InvalidOperationException($"Submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
}

internal sealed record BenchOptions(string Api, string Key, int Jobs, int Concurrency, int Items)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        return new BenchOptions(
            Get("--api", "http://127.0.0.1:5080"),
            Get("--key", Environment.GetEnvironmentVariable("JOBS_DEV_API_KEY") ?? "jobs-dev-key"),
            int.Parse(Get("--jobs", "2000"), CultureInfo.InvariantCulture),
            int.Parse(Get("--concurrency", "16"), CultureInfo.InvariantCulture),
            int.Parse(Get("--items", "0"), CultureInfo.InvariantCulture));
    }
}
