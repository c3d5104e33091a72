using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Hosting.Local;
using Jobs.Testing;

namespace Jobs.AppHost.Tests;

/// <summary>
/// The whole topology from the built AppHost, as `./run.sh` starts it, in a throwaway data directory: a demo job
/// submitted to the API completes, and SIGTERM leaves no process behind.
/// </summary>
public sealed class AppHostEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"jobs-e2e-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task AppHost_RunsADemoJobToCompletion_AndLeavesNoProcessBehindOnSigterm()
    {
        var ct = TestContext.Current.CancellationToken;
        var apiPort = FreePort.Next();
        var webPort = FreePort.Next();
        var apiKey = $"e2e-{Guid.NewGuid():N}";
        await using var host = AppHostProcess.Start(
            new Dictionary<string, string>
            {
                ["JOBS_DATA_DIR"] = _dataDirectory,
                ["JOBS_API_PORT"] = apiPort.ToString(),
                ["JOBS_WEB_PORT"] = webPort.ToString(),
                ["JOBS_DEV_API_KEY"] = apiKey,
                ["JOBS_WORKER_REPLICAS"] = "2",
                ["NO_COLOR"] = "1",
            },
            [],
            output.WriteLine);

        // Arrange: the AppHost reports ready once every resource is healthy.
        await host.WaitForLineAsync(l => l.StartsWith("[apphost] ready", StringComparison.Ordinal), StartTimeout, ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        (await http.GetAsync("/health", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Act: submit a demo job and poll it.
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = JsonContent.Create(new { type = "demo", payload = new { items = 3, delayMs = 10 } }),
        };
        submit.Headers.Add("X-Api-Key", apiKey);
        using var accepted = await http.SendAsync(submit, ct);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync(ct));
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("jobId").GetString();
        jobId.ShouldNotBeNullOrEmpty();

        var status = await PollStatusAsync(http, apiKey, jobId, "completed", TimeSpan.FromSeconds(30), ct);
        status.ShouldBe("completed", host.Tail);

        // Assert: SIGTERM stops everything it started, within 30 s.
        var started = ProcessTree.Descendants(host.Id);
        started.ShouldNotBeEmpty();
        host.Signal(AppHostProcess.SigTerm);
        (await host.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBeTrue(host.Tail);
        host.ExitCode.ShouldBe(0, host.Tail);
        await WaitUntilGoneAsync(started, ct);
        var survivors = started.Where(ProcessTree.IsAlive).Select(pid => $"{pid}: {ProcessTree.CommandLine(pid)}").ToList();
        survivors.ShouldBeEmpty();
        StrayProcesses(apiPort, webPort).ShouldBeEmpty();
    }

    private static async Task<string?> PollStatusAsync(HttpClient http, string apiKey, string jobId, string expected, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string? status = null;
        while (clock.Elapsed < timeout)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{jobId}");
            request.Headers.Add("X-Api-Key", apiKey);
            using var response = await http.SendAsync(request, ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(ct));
            status = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString();
            if (status == expected)
            {
                break;
            }

            await Task.Delay(250, ct);
        }

        return status;
    }

    // The AppHost waits for its children before exiting; a short grace covers the kernel's reaping.
    private static async Task WaitUntilGoneAsync(IReadOnlyList<int> pids, CancellationToken ct)
    {
        for (var i = 0; i < 20 && pids.Any(ProcessTree.IsAlive); i++)
        {
            await Task.Delay(100, ct);
        }
    }

    // Anything on this machine still naming this run's data directory or ports, whoever its parent is now.
    private List<string> StrayProcesses(int apiPort, int webPort)
    {
        var markers = new[] { _dataDirectory, $"127.0.0.1:{apiPort}", $"127.0.0.1:{webPort}" };
        return [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId && ProcessTree.IsAlive(pid))
            .Select(pid => (Pid: pid, CommandLine: ProcessTree.CommandLine(pid)))
            .Where(p => markers.Any(m => p.CommandLine.Contains(m, StringComparison.Ordinal)))
            .Select(p => $"{p.Pid}: {p.CommandLine}")];
    }
}
