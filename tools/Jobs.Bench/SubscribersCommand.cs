using System.Diagnostics;
using System.Globalization;

namespace Jobs.Bench;

/// <summary>
/// <c>subscribers</c>: "one API instance holds 2,000 concurrent SSE/SignalR subscribers without errors; memory per
/// connection". Long <c>demo</c> jobs keep publishing progress while <c>--sse</c> Server-Sent Events streams and
/// <c>--signalr</c> SignalR connections (a <c>--workspace-share</c> of them subscribed to the whole workspace, the rest
/// to one job each) are opened in batches, spread over the jobs. Every connection must open, receive updates during
/// the <c>--window</c>, and stay open until the run closes it. The API process's resident memory (VmRSS) is read after
/// a warm-up and again with every connection open, each time after <c>--settle</c> seconds of quiet:
/// memory per connection = ΔRSS / connections.
/// Options: --api URL (http://127.0.0.1:5080) --key KEY --api-pid PID (else: whoever listens on the API's port)
///   --jobs 20 --items 300 --delay-ms 500 (each job then runs 150 s and publishes about twice a second)
///   --sse 1000 --signalr 1000 --workspace-share 0.1 --batch 100 --settle 5 --window 20 --connect-timeout 30
/// 2,000 connections with one key exceed the demo workspace's 600 requests a minute: start the system with
/// Jobs__Dev__RequestsPerMinute=1000000 (docs/benchmarks.md).
/// </summary>
internal static class SubscribersCommand
{
    private const int WarmUpConnections = 20;

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var api = new Uri(arguments.String("--api", "http://127.0.0.1:5080"));
        var key = arguments.ApiKey();
        var apiPid = arguments.OptionalString("--api-pid");
        var jobCount = arguments.Int("--jobs", 20, min: 1);
        var items = arguments.Int("--items", 300, min: 1);
        var delayMs = arguments.Int("--delay-ms", 500);
        var sseCount = arguments.Int("--sse", 1000);
        var hubCount = arguments.Int("--signalr", 1000);
        var workspaceShare = arguments.Double("--workspace-share", 0.1);
        var batch = arguments.Int("--batch", 100, min: 1);
        var settle = arguments.Seconds("--settle", 5);
        var window = arguments.Seconds("--window", 20);
        var connectTimeout = arguments.Seconds("--connect-timeout", 30);
        arguments.ThrowIfUnused();
        if (workspaceShare > 1)
        {
            throw new BenchArgumentException("--workspace-share is a fraction between 0 and 1.");
        }

        var pid = ProcessProbe.Resolve(apiPid, api, "the API");
        using var bench = new BenchApi(api, key);
        using var sseHttp = new HttpClient(new SocketsHttpHandler
        {
            // One connection per stream, kept for the whole run.
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectTimeout = connectTimeout,
        })
        {
            BaseAddress = api,
            Timeout = Timeout.InfiniteTimeSpan,
        }.WithApiKey(key);

        var jobs = await bench.SubmitDemoJobsAsync(jobCount, items, delayMs, ct);
        var subscribers = new List<Subscriber>();
        try
        {
            var processing = await bench.WaitUntilProcessingAsync(jobs, TimeSpan.FromSeconds(30), ct);
            Say($"api pid {pid}; {jobCount} demo jobs of {items} items × {delayMs} ms, {processing.Count} processing");
            if (processing.Count == 0)
            {
                Say("no job is processing: are workers running, and is the workspace's concurrency limit (Jobs__Dev__MaxConcurrentJobs) above 0?");
                return 1;
            }

            if (processing.Count < jobCount)
            {
                Say($"only {processing.Count} of {jobCount} jobs are processing (workspace concurrency limit or worker slots); connections go to those");
            }

            var running = jobs.Where(processing.Contains).ToList();

            // Warm-up: the first connections JIT the SSE and hub paths and allocate SignalR's and Kestrel's pools; they
            // belong in the baseline, not in the per-connection cost.
            var warmUp = Plan(WarmUpConnections, WarmUpConnections, 0.1, running, api, key, sseHttp, connectTimeout);
            await OpenAsync(warmUp, batch, ct);
            await CloseAsync(warmUp);
            await Task.Delay(settle, ct);
            var before = ProcessProbe.ReadMemory(pid);
            Say($"before: {before}");

            subscribers = Plan(sseCount, hubCount, workspaceShare, running, api, key, sseHttp, connectTimeout);
            var clock = Stopwatch.StartNew();
            await OpenAsync(subscribers, batch, ct);
            var opened = subscribers.Count(s => s.Connected);
            Say(string.Create(CultureInfo.InvariantCulture, $"ramp: {opened} of {subscribers.Count} opened in {clock.Elapsed.TotalSeconds:F1} s, batches of {batch}"));

            await Task.Delay(settle, ct);
            var open = ProcessProbe.ReadMemory(pid);
            Say($"open (after {settle.TotalSeconds:0} s settle): {open}");

            var startEvents = subscribers.Select(s => s.Events).ToArray();
            var apiCpu = ProcessProbe.CpuTime(pid);
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var machine = ProcessProbe.MachineCpu();
            clock.Restart();
            await Task.Delay(window, ct);
            var elapsed = clock.Elapsed;
            var windowEvents = subscribers.Select((s, i) => s.Events - startEvents[i]).ToArray();
            var apiCpuShare = (ProcessProbe.CpuTime(pid) - apiCpu) / elapsed;
            var ownCpuShare = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu) / elapsed;
            var machineBusy = ProcessProbe.MachineBusy(machine, ProcessProbe.MachineCpu());
            var end = ProcessProbe.ReadMemory(pid);
            Say($"end of window: {end}");

            foreach (var kind in subscribers.Select((s, i) => (s.Kind, Events: windowEvents[i])).GroupBy(s => s.Kind))
            {
                var counts = kind.Select(s => s.Events).Order().ToArray();
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"{kind.Key}: {counts.Length} connections, events in {elapsed.TotalSeconds:F0} s min={counts[0]} median={counts[counts.Length / 2]} max={counts[^1]} total={counts.Sum()}"));
            }

            var errors = subscribers.Where(s => s.Error is not null).ToList();
            foreach (var error in errors.GroupBy(s => $"{s.Kind}: {s.Error}").Take(10))
            {
                Say($"error ×{error.Count()}: {error.Key}");
            }

            var failedToOpen = subscribers.Count(s => !s.Connected);
            var closedEarly = subscribers.Count(s => s.Connected && s.Error is not null);
            var finished = subscribers.Count(s => s.JobFinished);
            var silent = subscribers.Where((s, i) => s.Connected && s.Error is null && windowEvents[i] == 0).Count();
            var perConnection = opened == 0 ? 0 : (open.RssKiB - before.RssKiB) / (double)opened;
            // RSS also counts pages of mapped files (code first touched by the run); the anonymous part is the heaps.
            var perConnectionAnon = opened == 0 ? 0 : (open.RssAnonKiB - before.RssAnonKiB) / (double)opened;
            var total = subscribers.Count;

            await CloseAsync(subscribers);
            await Task.Delay(settle, ct);
            Say($"after closing all (after {settle.TotalSeconds:0} s settle): {ProcessProbe.ReadMemory(pid)}");

            var ok = failedToOpen == 0 && closedEarly == 0 && finished == 0 && silent == 0;
            var invariant = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Join("; ",
                string.Create(invariant, $"subscribers: {opened}/{total} open ({sseCount} sse, {hubCount} signalr), {failedToOpen} failed to open, {closedEarly} closed early, {finished} ended with their job, {silent} silent in the window"),
                string.Create(invariant, $"{windowEvents.Sum() / elapsed.TotalSeconds:F0} events/s delivered"),
                string.Create(invariant, $"api rss {ProcessMemory.MiB(before.RssKiB)} -> {ProcessMemory.MiB(open.RssKiB)} MiB = {perConnection:F1} KiB per connection (anonymous memory {perConnectionAnon:F1} KiB; end of window rss {ProcessMemory.MiB(end.RssKiB)} MiB)"),
                string.Create(invariant, $"api cpu {apiCpuShare * 100:F0}% of a core, bench client {ownCpuShare * 100:F0}%, machine {machineBusy * 100:F0}% busy"),
                ok ? "OK" : "FAILED"));
            return ok ? 0 : 1;
        }
        finally
        {
            await CloseAsync(subscribers);
            var notCancelled = await bench.CancelAsync(jobs);
            if (notCancelled > 0)
            {
                Say($"{notCancelled} jobs could not be cancelled; they run to their end");
            }
        }
    }

    /// <summary>SSE and SignalR interleaved, so that every batch opens both kinds; jobs assigned round robin.</summary>
    private static List<Subscriber> Plan(int sse, int hub, double workspaceShare, List<Guid> jobs, Uri api, string key, HttpClient sseHttp, TimeSpan connectTimeout)
    {
        var list = new List<Subscriber>(sse + hub);
        for (int i = 0, s = 0, h = 0; s < sse || h < hub; i++)
        {
            var job = jobs[i % jobs.Count];
            if (s < sse && (h >= hub || s <= h))
            {
                list.Add(new SseSubscriber(sseHttp, job, connectTimeout));
                s++;
            }
            else
            {
                // Spreads the workspace subscribers evenly through the ramp.
                var workspace = Math.Floor((h + 1) * workspaceShare) > Math.Floor(h * workspaceShare);
                list.Add(new HubSubscriber(api, key, job, workspace, connectTimeout));
                h++;
            }
        }

        return list;
    }

    private static async Task OpenAsync(List<Subscriber> subscribers, int batch, CancellationToken ct)
    {
        foreach (var chunk in subscribers.Chunk(batch))
        {
            await Task.WhenAll(chunk.Select(s => s.OpenAsync(ct)));
        }
    }

    private static async Task CloseAsync(List<Subscriber> subscribers)
    {
        foreach (var chunk in subscribers.Chunk(200))
        {
            await Task.WhenAll(chunk.Select(s => s.CloseAsync()));
        }

        subscribers.Clear();
    }

    private static void Say(string line) => Console.WriteLine($"  {line}");
}
