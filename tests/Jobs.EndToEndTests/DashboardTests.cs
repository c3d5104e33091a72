using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>The dashboard: counts, charts, queues and live workers from <c>GET /api/stats</c>, kept fresh by events.</summary>
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

        await api.SubmitDemoJobAsync(items: 3, delayMs: 50);

        // Other tests' jobs may finish meanwhile too: the point is that the number moves without a reload.
        await Expect(completed).Not.ToHaveTextAsync(before.ToString("#,##0"), new() { Timeout = 30_000 });
        // The topology's two workers; read from the API rather than assumed, as the page shows what the API reports.
        var workers = (await api.GetJsonAsync("/api/stats")).GetProperty("workers").GetArrayLength();
        workers.ShouldBeGreaterThan(0);
        await Expect(page.GetByTestId("worker-row")).ToHaveCountAsync(workers);
        await Expect(page.GetByTestId("chart-throughput")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-durations")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("queues")).ToContainTextAsync("default");
        await session.ScreenshotAsync("dashboard");
    }
}
