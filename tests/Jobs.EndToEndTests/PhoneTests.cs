using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>A 390×844 phone: the drawer is closed and nothing is wider than the screen.</summary>
public sealed class PhoneTests(Topology topology)
{
    [Fact]
    public async Task JobPage_OnAPhone_FitsTheScreen_WithTheDrawerCollapsed()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var jobId = await api.SubmitDemoJobAsync(items: 10, delayMs: 50);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail, phone: true);
        var page = session.Page;

        await page.GotoAsync($"/jobs/{jobId}");

        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("job-progress")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("job-timeline")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" })).Not.ToBeInViewportAsync();
        (await HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0);
        await session.ScreenshotAsync("phone-job-page");

        await page.GetByTestId("menu-toggle").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" })).ToBeInViewportAsync();
        await session.ScreenshotAsync("phone-drawer-open", fullPage: false);
    }

    [Fact]
    public async Task JobsListAndDashboard_OnAPhone_FitTheScreen_WithoutSidewaysScrolling()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        // Running while the dashboard is shown, so that its widest table (the workers running the workspace's jobs) is there.
        var job = await api.SubmitDemoJobAsync(items: 40, delayMs: 300);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail, phone: true);
        var page = session.Page;

        await Expect(page.GetByTestId("job-row").First).ToBeVisibleAsync();

        (await HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0);
        await session.ScreenshotAsync("phone-jobs-list");

        await page.GotoAsync("/dashboard");
        await Expect(page.GetByTestId("worker-row").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        (await HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0);
        await session.ScreenshotAsync("phone-dashboard");
        await api.CancelAsync(job);
    }

    [Fact]
    public async Task JobsList_OnAPhone_ShowsMoreThanTwoJobsPerScreen()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        for (var i = 0; i < 6; i++)
        {
            await api.SubmitDemoJobAsync(items: 1, delayMs: 0);
        }

        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail, phone: true);
        var page = session.Page;
        await Expect(page.GetByTestId("job-row").Nth(Topology.JobsPageSize - 1)).ToBeVisibleAsync();

        // Whole rows inside the first screen, under the app bar, the title and the filters.
        var whole = await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('[data-testid=job-row]')].filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length");
        whole.ShouldBeGreaterThan(2);
        (await HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0);
        await session.ScreenshotAsync("phone-jobs-list-compact", fullPage: false);
    }

    private static Task<int> HorizontalOverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
}
