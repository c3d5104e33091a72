using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>What the workspace's live events do outside the job page: the list, the toasts, the running badge.</summary>
public sealed class LiveUpdatesTests(Topology topology)
{
    [Fact]
    public async Task JobsList_ShowsANewJobOfTheWorkspace_AndFollowsItToCompletion_WithoutAReload()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        await Expect(page.GetByTestId("new-job")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.__noReload = true");

        var jobId = await api.SubmitDemoJobAsync(items: 20, delayMs: 150);

        var row = page.Locator($"[data-testid=job-row][data-job-id='{jobId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.GetByTestId("job-row").First).ToHaveAttributeAsync("data-job-id", jobId.ToString());
        await Expect(row).ToHaveAttributeAsync("data-status", "processing", new() { Timeout = 30_000 });
        await session.ScreenshotAsync("jobs-list-live");
        await Expect(row).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        await Expect(row.GetByTestId("job-progress")).ToHaveAttributeAsync("aria-valuenow", "100");
        (await page.EvaluateAsync<bool>("() => window.__noReload === true")).ShouldBeTrue("the page reloaded");
    }

    [Fact]
    public async Task CompletedJob_ShowsAToastWithALinkToIt_OnAnotherPage()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        await page.GotoAsync("/dashboard");
        await Expect(page.GetByTestId("count-completed")).ToBeVisibleAsync();

        var jobId = await api.SubmitDemoJobAsync(items: 5, delayMs: 200);

        var toast = page.Locator($"[data-testid=toast][data-job-id='{jobId}']");
        await Expect(toast).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(toast).ToContainTextAsync("Demo job completed");
        await session.ScreenshotAsync("toast-on-dashboard");
        await toast.GetByTestId("toast-link").ClickAsync();
        await Expect(page.GetByTestId("job-id")).ToHaveTextAsync(jobId.ToString());
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed");
    }

    [Fact]
    public async Task RunningBadge_CountsTheWorkspacesProcessingJobs_Live()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var badge = session.Page.GetByTestId("running-badge");
        var before = int.Parse(await badge.GetAttributeAsync("data-count") ?? "0");

        var jobs = new[] { await api.SubmitDemoJobAsync(items: 100, delayMs: 100), await api.SubmitDemoJobAsync(items: 100, delayMs: 100) };
        try
        {
            await Expect(badge).ToHaveAttributeAsync("data-count", (before + 2).ToString(), new() { Timeout = 30_000 });
            await session.ScreenshotAsync("running-badge");
        }
        finally
        {
            foreach (var job in jobs)
            {
                await api.CancelAsync(job);
            }
        }

        await Expect(badge).ToHaveAttributeAsync("data-count", before.ToString(), new() { Timeout = 30_000 });
    }
}
