using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// The dashboard: counts, charts, queues and the workers running the workspace's jobs, from <c>GET /api/stats</c>, kept
/// fresh by events.
/// </summary>
public sealed class DashboardTests(Topology topology)
{
    [Fact]
    public async Task Dashboard_ShowsCountsChartsAndWorkers_AndCountsANewJobLive()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        await page.GotoAsync("/dashboard");
        var completed = page.GetByTestId("count-completed").Locator("h4");
        await Expect(completed).ToBeVisibleAsync();
        var before = int.Parse((await completed.InnerTextAsync()).Replace(",", ""));

        // Long enough to be seen running on a worker, then completed.
        var job = await api.SubmitDemoJobAsync(items: 20, delayMs: 200);

        // A worker running the workspace's job shows, with how many of its jobs it runs (other tests' jobs may run too).
        await Expect(page.GetByTestId("worker-row").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await session.ScreenshotAsync("dashboard-running");
        await api.WaitForTerminalAsync(job);
        // Other tests' jobs may finish meanwhile too: the point is that the number moves without a reload.
        await Expect(completed).Not.ToHaveTextAsync(before.ToString("#,##0"), new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("chart-throughput")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-durations")).ToBeVisibleAsync();
        // The axes say their units.
        await Expect(page.GetByTestId("chart-throughput")).ToContainTextAsync("Jobs per minute");
        await Expect(page.GetByTestId("throughput-title")).ToContainTextAsync("(times in UTC)");
        await Expect(page.GetByTestId("chart-durations")).ToContainTextAsync("Seconds");
        await Expect(page.GetByTestId("queues")).ToContainTextAsync("default");
        await session.ScreenshotAsync("dashboard");
    }
}
