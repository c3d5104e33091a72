using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HdrHistogram;
using Microsoft.Playwright;

namespace Jobs.Bench;

/// <summary>
/// <c>dom-latency</c>: "an update published by a worker is in the browser's DOM within 250 ms at p95, with 200 jobs
/// running". It submits <c>--jobs</c> long <c>demo</c> jobs, signs in to the web in headless Chromium, opens the jobs
/// list with every one of them on it, and for a <c>--window</c> records in the page, with a MutationObserver, the
/// wall-clock time of every change of a row's progress (<c>aria-valuenow</c>) or status (<c>data-status</c>).
/// Meanwhile it subscribes to Redis itself (<see cref="RedisUpdateRecorder"/>) and notes when each value was first
/// published. Latency = DOM time − first publish of that value, both on this machine's wall clock.
/// Options: --web URL (http://127.0.0.1:5000) --api URL (http://127.0.0.1:5080) --key KEY --redis HOST:PORT (the
///   AppHost's resource table shows it) --email demo@jobs.local --password PW (JOBS_DEV_PASSWORD, else demo-password)
///   --jobs 200 --items 150 --delay-ms 500 (each job then runs 75 s and publishes twice a second)
///   --spread 5 (submit one by one over 5 s, so that the jobs' progress flushes do not all fall on the same instant;
///   0 = one batch, all at once) --warm-up 10 (seconds of live updates before the window, not measured) --window 30
///   --start-timeout 60 --chromium /usr/bin/chromium --web-pid PID (else: whoever listens on the web's port)
/// The system must let 200 jobs run at once: Jobs__Dev__MaxConcurrentJobs ≥ 200 (the demo workspace's limit, under an
/// Api__LimitCeilings__MaxConcurrentJobs at least as high), with
/// Jobs__Dev__RequestsPerMinute=1000000 so that its key is not rate limited, and
/// worker slots (Worker__Slots × JOBS_WORKER_REPLICAS) ≥ 200; and the list should show them all, so
/// Jobs__Web__JobsPageSize=200 (otherwise "Load more" is clicked until they are).
/// </summary>
internal static class DomLatencyCommand
{
    private const int MaxLoadMoreClicks = 20;

    // Installed once the list shows the jobs: one entry [jobId, "p:42" | "s:completed", Date.now()] per changed attribute.
    // The observer runs as a microtask right after the DOM change, so Date.now() there is when the value reached the DOM
    // (not when it was painted).
    private const string InstallObserver = """
        () => {
          window.__obs = [];
          const observer = new MutationObserver(records => {
            const now = Date.now();
            for (const r of records) {
              const t = r.target;
              if (r.attributeName === 'aria-valuenow' && t.matches('[data-testid="job-progress"]')) {
                const row = t.closest('[data-testid="job-row"]');
                const value = t.getAttribute('aria-valuenow');
                if (row && value !== null) window.__obs.push([row.dataset.jobId, 'p:' + Math.round(Number(value)), now]);
              } else if (r.attributeName === 'data-status' && t.matches('[data-testid="job-row"]')) {
                window.__obs.push([t.dataset.jobId, 's:' + t.dataset.status, now]);
              }
            }
          });
          observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow', 'data-status'] });
        }
        """;

    private const string RowIds = "() => [...document.querySelectorAll('[data-testid=\"job-row\"]')].map(r => r.dataset.jobId)";

    // Takes the observations so far and starts a new list, so that a long window is never one huge transfer.
    private const string TakeObservations = "() => { const o = window.__obs; window.__obs = []; return o; }";

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken ct)
    {
        var web = new Uri(arguments.String("--web", "http://127.0.0.1:5000"));
        var api = new Uri(arguments.String("--api", "http://127.0.0.1:5080"));
        var key = arguments.ApiKey();
        var redis = arguments.String("--redis", "127.0.0.1:6379");
        var email = arguments.String("--email", "demo@jobs.local");
        var password = arguments.String("--password", Environment.GetEnvironmentVariable("JOBS_DEV_PASSWORD") is { Length: > 0 } p ? p : "demo-password");
        var jobCount = arguments.Int("--jobs", 200, min: 1);
        var items = arguments.Int("--items", 150, min: 1);
        var delayMs = arguments.Int("--delay-ms", 500);
        var spread = arguments.Seconds("--spread", 5);
        var warmUp = arguments.Seconds("--warm-up", 10);
        var window = arguments.Seconds("--window", 30);
        var startTimeout = arguments.Seconds("--start-timeout", 60);
        var chromium = arguments.String("--chromium", "/usr/bin/chromium");
        var webPid = ProcessProbe.Resolve(arguments.OptionalString("--web-pid"), web, "the web");
        arguments.ThrowIfUnused();

        await using var recorder = await RedisUpdateRecorder.StartAsync(redis);
        using var bench = new BenchApi(api, key);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Debian's Chromium; Playwright's own browser download is never used (no network for it).
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = web.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/signin");
        await page.GetByTestId("signin-email").FillAsync(email);
        await page.GetByTestId("signin-password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex("/jobs$"));

        var jobs = await bench.SubmitDemoJobsAsync(jobCount, items, delayMs, ct, spread);
        try
        {
            var ours = jobs.ToHashSet();
            var clock = Stopwatch.StartNew();
            var processing = await bench.WaitUntilProcessingAsync(jobs, startTimeout, ct);
            Say(string.Create(CultureInfo.InvariantCulture,
                $"{jobCount} demo jobs of {items} items × {delayMs} ms; {processing.Count} processing after {clock.Elapsed.TotalSeconds:F1} s"));
            if (processing.Count < jobCount)
            {
                Say("not all jobs run at once: raise Jobs__Dev__MaxConcurrentJobs (the demo workspace's limit, and Api__LimitCeilings__MaxConcurrentJobs with it) and the worker slots");
            }

            var visible = await OpenListAsync(page, ours);
            Say($"jobs list: {visible} of our {jobCount} jobs have a row in the DOM");

            await page.EvaluateAsync(InstallObserver);
            // Live updates flow once the page's circuit is interactive; the first one observed proves it.
            var first = Stopwatch.StartNew();
            while ((await page.EvaluateAsync<int>("() => window.__obs.length")) == 0)
            {
                if (first.Elapsed > TimeSpan.FromSeconds(30))
                {
                    Say("no row changed within 30 s of opening the list: is the page live?");
                    return 1;
                }

                await Task.Delay(100, ct);
            }

            // The web's rendering of the list runs cold at first (JIT tiers, pools): the window measures the steady state.
            await Task.Delay(warmUp, ct);
            await page.EvaluateAsync(TakeObservations);
            var windowStart = RedisUpdateRecorder.NowMs();
            var webCpu = ProcessProbe.CpuTime(webPid);
            var machine = ProcessProbe.MachineCpu();
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var published = recorder.Received;
            clock.Restart();
            var observations = new List<(Guid JobId, string Value, double AtMs)>();
            while (clock.Elapsed < window)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                observations.AddRange(Parse(await page.EvaluateAsync<JsonElement>(TakeObservations)));
            }

            var elapsed = clock.Elapsed;
            var webCpuShare = (ProcessProbe.CpuTime(webPid) - webCpu) / elapsed;
            var machineBusy = ProcessProbe.MachineBusy(machine, ProcessProbe.MachineCpu());
            var ownCpuShare = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu) / elapsed;
            var publishedInWindow = recorder.Received - published;
            var stillVisible = (await page.EvaluateAsync<string[]>(RowIds)).Count(id => Guid.TryParse(id, out var g) && ours.Contains(g));

            // Microseconds, so that the sub-millisecond Redis side keeps its resolution; the DOM side has whole ms.
            var histogram = new LongHistogram(TimeSpan.FromMinutes(10).Ticks / 10, 3);
            int matched = 0, unmatched = 0, negative = 0, progress = 0, statuses = 0;
            var earliest = 0.0;
            foreach (var (jobId, value, atMs) in observations.Where(o => ours.Contains(o.JobId)))
            {
                if (!recorder.TryGetFirst(jobId, value, out var publishedMs))
                {
                    unmatched++;
                    continue;
                }

                var latency = atMs - publishedMs;
                // Beyond Date.now()'s millisecond rounding: this client heard the publish after the web had rendered it.
                negative += latency < -1 ? 1 : 0;
                earliest = Math.Min(earliest, latency);
                histogram.RecordValue((long)Math.Max(0, latency * 1000));
                matched++;
                progress += value[0] == 'p' ? 1 : 0;
                statuses += value[0] == 's' ? 1 : 0;
            }

            var progressPublished = recorder.CountFirstHeardSince(windowStart, ours, 'p');
            string Ms(double percentile) => (histogram.GetValueAtPercentile(percentile) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
            Say(string.Create(CultureInfo.InvariantCulture,
                $"window {elapsed.TotalSeconds:F0} s: {publishedInWindow} updates published ({publishedInWindow / elapsed.TotalSeconds:F0}/s), " +
                $"{progressPublished} new progress values of our jobs; {observations.Count} DOM changes observed, {matched} matched " +
                $"({progress} progress, {statuses} status), {unmatched} without a publish heard, {negative} earlier than their publish (by up to {Math.Max(0, -earliest):F1} ms)"));
            Say(string.Create(CultureInfo.InvariantCulture,
                $"cpu: machine {machineBusy * 100:F0}% busy of {Environment.ProcessorCount} cores; web {webCpuShare * 100:F0}% of a core; bench client (with its Redis subscriber) {ownCpuShare * 100:F0}%; rows still on the list {stillVisible}"));
            if (matched == 0)
            {
                Say("nothing to measure");
                return 1;
            }

            var p95 = histogram.GetValueAtPercentile(95) / 1000.0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dom latency ms (publish heard -> in the DOM), {processing.Count} jobs running, {visible} rows: n={matched} p50={Ms(50)} p95={Ms(95)} p99={Ms(99)} max={Ms(100)}; " +
                $"target p95 <= 250: {(p95 <= 250 ? "met" : "NOT met")}"));
            return p95 <= 250 ? 0 : 1;
        }
        finally
        {
            var notCancelled = await bench.CancelAsync(jobs);
            if (notCancelled > 0)
            {
                Say($"{notCancelled} jobs could not be cancelled; they run to their end");
            }
        }
    }

    /// <summary>Opens the jobs list and clicks "Load more" until every one of <paramref name="ours"/> has a row.</summary>
    private static async Task<int> OpenListAsync(IPage page, HashSet<Guid> ours)
    {
        await page.GotoAsync("/jobs");
        await page.GetByTestId("job-row").First.WaitForAsync();
        for (var clicks = 0; ; clicks++)
        {
            var rows = await page.EvaluateAsync<string[]>(RowIds);
            var shown = rows.Count(id => Guid.TryParse(id, out var g) && ours.Contains(g));
            var more = page.GetByTestId("load-more");
            if (shown == ours.Count || clicks == MaxLoadMoreClicks || !await more.IsVisibleAsync())
            {
                return shown;
            }

            await more.ClickAsync();
            await page.WaitForFunctionAsync("n => document.querySelectorAll('[data-testid=\"job-row\"]').length > n", rows.Length);
        }
    }

    private static IEnumerable<(Guid JobId, string Value, double AtMs)> Parse(JsonElement observations) =>
        observations.EnumerateArray()
            .Select(o => (Id: o[0].GetString(), Value: o[1].GetString()!, AtMs: o[2].GetDouble()))
            .Where(o => Guid.TryParse(o.Id, out _))
            .Select(o => (Guid.Parse(o.Id!), o.Value, o.AtMs));

    private static void Say(string line) => Console.WriteLine($"  {line}");
}
