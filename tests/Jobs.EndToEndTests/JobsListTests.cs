using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>The jobs list: newest first, keyset pages, filters.</summary>
public sealed class JobsListTests(Topology topology)
{
    [Fact]
    public async Task JobsList_LoadsOlderJobsPageByPage_NewestFirst()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        // Two pages and one more of this test's own: whatever ran before (or nothing), both pages hold only its jobs.
        var submitted = new List<Guid>();
        for (var i = 0; i < (2 * Topology.JobsPageSize) + 1; i++)
        {
            submitted.Add(await api.SubmitDemoJobAsync(items: 1, delayMs: 0));
        }

        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var rows = session.Page.GetByTestId("job-row");

        await Expect(rows).ToHaveCountAsync(Topology.JobsPageSize);
        var firstPage = await IdsAsync(rows);
        firstPage.ShouldBe([.. Enumerable.Reverse(submitted).Take(Topology.JobsPageSize)]);

        await session.Page.GetByTestId("load-more").ClickAsync();

        await Expect(rows).ToHaveCountAsync(2 * Topology.JobsPageSize);
        var bothPages = await IdsAsync(rows);
        bothPages.Take(Topology.JobsPageSize).ShouldBe(firstPage);
        bothPages.ShouldBe([.. Enumerable.Reverse(submitted).Take(2 * Topology.JobsPageSize)]);
        await session.ScreenshotAsync("jobs-list-two-pages");
    }

    [Fact]
    public async Task StatusFilter_ShowsOnlyJobsInThatStatus_AndKeepsItInTheAddress()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var cancelled = await api.SubmitDemoJobAsync(items: 1000, delayMs: 100);
        await api.CancelAsync(cancelled);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        await page.GetByTestId("filter-status").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "cancelled" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/jobs\\?status=cancelled$"));
        await Expect(page.Locator($"[data-testid=job-row][data-job-id='{cancelled}']")).ToHaveAttributeAsync("data-status", "cancelled");
        // The address changes first; the rows of the unfiltered list are replaced when the filtered page arrives.
        await Expect(page.Locator("[data-testid=job-row]:not([data-status=cancelled])")).ToHaveCountAsync(0);

        await session.ScreenshotAsync("jobs-list-filtered");
    }

    private static async Task<List<Guid>> IdsAsync(ILocator rows) =>
        [.. (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.jobId)")).Select(Guid.Parse)];
}
