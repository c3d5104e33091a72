using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Hosting.Local;
using Jobs.Testing;

namespace Jobs.AppHost.Tests;

/// <summary>
/// The built AppHost run as ./run.sh runs it, dashboard included, on free ports and in a throwaway data directory:
/// what a developer relies on across a day of work. Every process of the run (DCP, the dashboard, PostgreSQL, Redis,
/// the services) inherits a variable that only this run sets, which is how the test finds what is left after a stop.
/// </summary>
public sealed class AppHostProcessTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>ReadyBanner's heading in the AppHost.</summary>
    private const string ReadyLine = "Jobs is ready";
    private const string RunMarker = "JOBS_TEST_RUN";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"jobs-apphost-{Guid.NewGuid():N}");
    private readonly string _run = Guid.NewGuid().ToString("N");
    private readonly string _apiKey = $"e2e-{Guid.NewGuid():N}";
    private readonly string _dashboardApiKey = Guid.NewGuid().ToString("N");
    private readonly int _dashboardPort = FreePort.Next();
    private readonly int _apiPort = FreePort.Next();

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task AppHost_RunsAJobTracedInTheDashboard_KeepsItAcrossARestart_AndLeavesNoProcessAfterSigtermOrSigkill()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}") };
        api.DefaultRequestHeaders.Add("X-Api-Key", _apiKey);
        Guid jobId;

        // First run: a job goes from the API through the stream to a worker, and the dashboard has its whole trace.
        await using (var first = await StartAsync(ct))
        {
            await ShouldSignIntoTheDashboardAsync(first, ct);
            jobId = await SubmitDemoJobAsync(api, ct);
            (await WaitForStatusAsync(api, jobId, "completed", ct)).ShouldBe("completed", first.Tail);
            await ShouldShowTheJobsTraceAsync(jobId, ct);

            first.Signal(AppHostProcess.SigTerm);
            (await first.WaitForExitAsync(StopBound)).ShouldBeTrue(first.Tail);
            first.ExitCode.ShouldBe(0, first.Tail);
            output.WriteLine($"SIGTERM: nothing of the run left after {(await NothingLeftAsync("SIGTERM")).TotalSeconds:0.0} s");
        }

        // Second run on the same data: the job is still there. Then the AppHost dies without a word: DCP, watching it,
        // stops everything it started.
        await using var second = await StartAsync(ct);
        (await WaitForStatusAsync(api, jobId, "completed", ct)).ShouldBe("completed", second.Tail);
        second.Signal(AppHostProcess.SigKill);
        output.WriteLine($"SIGKILL: nothing of the run left after {(await NothingLeftAsync("SIGKILL")).TotalSeconds:0.0} s");
    }

    private async Task<AppHostProcess> StartAsync(CancellationToken ct)
    {
        // What ./run.sh sets, on free ports (a developer's own ./run.sh may be running), plus the dashboard's telemetry
        // API key and the run's marker.
        var host = AppHostProcess.Start(
            new Dictionary<string, string>
            {
                [RunMarker] = _run,
                ["JOBS_DATA_DIR"] = _dataDirectory,
                ["JOBS_API_PORT"] = _apiPort.ToString(),
                ["JOBS_WEB_PORT"] = FreePort.Next().ToString(),
                ["JOBS_DEV_API_KEY"] = _apiKey,
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_dashboardPort}",
                ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["AppHost__DashboardApiKey"] = _dashboardApiKey,
                ["NO_COLOR"] = "1",
            },
            [],
            output.WriteLine);
        await host.WaitForLineAsync(l => l.StartsWith(ReadyLine, StringComparison.Ordinal), StartTimeout, ct);
        return host;
    }

    /// <summary>The printed login URL (with its browser token) signs a browser into the dashboard.</summary>
    private async Task ShouldSignIntoTheDashboardAsync(AppHostProcess host, CancellationToken ct)
    {
        var login = host.Lines.Select(l => l.Trim()).Single(l => l.StartsWith("Dashboard ", StringComparison.Ordinal))["Dashboard ".Length..].Trim();
        login.ShouldStartWith($"http://127.0.0.1:{_dashboardPort}/login?t=");
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
        using var signedIn = await browser.GetAsync(login, ct);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        signedIn.RequestMessage!.RequestUri!.AbsolutePath.ShouldNotStartWith("/login");
        using var anonymous = new HttpClient();
        (await anonymous.GetAsync($"http://127.0.0.1:{_dashboardPort}/", ct)).RequestMessage!.RequestUri!.AbsolutePath.ShouldStartWith("/login");
    }

    /// <summary>
    /// One trace from <c>POST /api/jobs</c> through the stream entry (Redis XADD) to the worker's handler span, with the
    /// database and Redis calls in it, as the dashboard's telemetry API returns it.
    /// </summary>
    private async Task ShouldShowTheJobsTraceAsync(Guid jobId, CancellationToken ct)
    {
        using var dashboard = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_dashboardPort}") };
        dashboard.DefaultRequestHeaders.Add("x-api-key", _dashboardApiKey);
        // Exported in batches every few seconds.
        var run = await PollAsync(async () => Spans(await dashboard.GetFromJsonAsync<JsonElement>("/api/telemetry/spans?limit=100000", ct))
            .FirstOrDefault(s => s.Name == "run demo" && s.Attributes.GetValueOrDefault("job.id") == jobId.ToString()), ct);
        run.ShouldNotBeNull("no 'run demo' span for the job reached the dashboard");
        run.Service.ShouldBe("worker");

        // Redis' instrumentation hands its command spans over on its own timer, after the handler's span at times.
        var trace = await PollAsync(async () =>
        {
            var spans = Spans(await dashboard.GetFromJsonAsync<JsonElement>($"/api/telemetry/spans?traceId={run.TraceId}", ct)).ToList();
            return spans.Any(s => s.Name == "XADD") && spans.Any(s => s.Name == "postgresql") ? spans : null;
        }, ct);
        trace.ShouldNotBeNull($"trace {run.TraceId} never held both its Redis XADD and a PostgreSQL span");
        var post = trace.Single(s => s.Name == "POST /api/jobs");
        post.Service.ShouldBe("api");
        var submit = trace.Single(s => s.Name == "submit jobs");
        submit.ParentId.ShouldBe(post.Id);
        run.ParentId.ShouldBe(submit.Id, "the handler's parent comes from the stream entry's trace context");
        trace.ShouldContain(s => s.Service == "api" && s.Name == "XADD" && s.ParentId == submit.Id);
        trace.ShouldContain(s => s.Service == "api" && s.Name == "postgresql");
    }

    private async Task<TimeSpan> NothingLeftAsync(string after)
    {
        var clock = Stopwatch.StartNew();
        List<string> left;
        while ((left = Left()).Count > 0 && clock.Elapsed < StopBound)
        {
            await Task.Delay(250);
        }

        left.ShouldBeEmpty($"still running {StopBound.TotalSeconds:0} s after {after}");
        return clock.Elapsed;
    }

    private List<string> Left() =>
        [.. ProcessTree.WithEnvironmentVariable(RunMarker, _run).Select(pid => $"{pid}: {ProcessTree.CommandLine(pid)}")];

    private static async Task<Guid> SubmitDemoJobAsync(HttpClient api, CancellationToken ct)
    {
        using var accepted = await api.PostAsJsonAsync("/api/jobs", new { type = "demo", payload = new { items = 3, delayMs = 10 } }, ct);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync(ct));
        return (await accepted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("jobId").GetGuid();
    }

    private static async Task<string?> WaitForStatusAsync(HttpClient api, Guid jobId, string expected, CancellationToken ct) =>
        await PollAsync(async () =>
        {
            var status = (await api.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}", ct)).GetProperty("status").GetString();
            return status == expected ? status : null;
        }, ct);

    /// <summary>The first non-null answer within 30 s, or null.</summary>
    private static async Task<T?> PollAsync<T>(Func<Task<T?>> read, CancellationToken ct) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await read() is { } value)
            {
                return value;
            }

            await Task.Delay(500, ct);
        }

        return null;
    }

    private sealed record Span(string Service, string Name, string TraceId, string Id, string? ParentId, IReadOnlyDictionary<string, string?> Attributes);

    /// <summary>The spans of an OTLP/JSON answer, each with its resource's service name.</summary>
    private static IEnumerable<Span> Spans(JsonElement answer) =>
        from resource in answer.GetProperty("data").GetProperty("resourceSpans").EnumerateArray()
        let service = Attributes(resource.GetProperty("resource")).GetValueOrDefault("service.name") ?? ""
        from scope in resource.GetProperty("scopeSpans").EnumerateArray()
        from span in scope.GetProperty("spans").EnumerateArray()
        select new Span(
            service,
            span.GetProperty("name").GetString()!,
            span.GetProperty("traceId").GetString()!,
            span.GetProperty("spanId").GetString()!,
            span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
            Attributes(span));

    private static Dictionary<string, string?> Attributes(JsonElement owner) =>
        owner.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().ToDictionary(
                a => a.GetProperty("key").GetString()!,
                a => a.GetProperty("value").EnumerateObject().Select(v => v.Value.ToString()).FirstOrDefault())
            : [];
}
