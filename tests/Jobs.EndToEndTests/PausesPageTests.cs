using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// An admin pauses a job type on the pauses page: a job submitted then shows "Paused" in the jobs list and on its page
/// and does not start; resuming it there starts the job.
/// </summary>
public sealed class PausesPageTests(Topology topology)
{
    [Fact]
    public async Task AnAdmin_PausesAJobType_ItsNewJobShowsPaused_AndStartsOnceResumed()
    {
        // acme, not demo: a paused demo type would hold back the other tests' demo jobs.
        var api = await topology.ApiAsync(Topology.AcmeEmail);
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.AcmeEmail);
        var page = admin.Page;
        var row = page.Locator("[data-testid=type-row][data-type=demo]");
        try
        {
            await page.GetByTestId("nav-pauses").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/settings/pauses$"));
            await Expect(row).ToHaveAttributeAsync("data-paused", "false");
            await Expect(page.GetByTestId("pause-queue-default")).ToBeInViewportAsync();
            await page.GetByTestId("pause-type-demo").ClickAsync();
            await Expect(row).ToHaveAttributeAsync("data-paused", "true");
            await Expect(row.GetByTestId("pause-state")).ToContainTextAsync("Paused");
            await Expect(page.GetByTestId("resume-type-demo")).ToBeVisibleAsync();
            await admin.ScreenshotAsync("pauses-type-paused");

            var jobId = await api.SubmitDemoJobAsync(items: 1, delayMs: 0);
            await page.GotoAsync("/jobs");
            var jobRow = page.Locator($"[data-testid=job-row][data-job-id='{jobId}']");
            await Expect(jobRow.GetByTestId("paused-chip")).ToHaveAttributeAsync("data-reason", "type_paused");
            await Expect(jobRow.GetByTestId("waiting-for-slot")).ToHaveCountAsync(0);
            await admin.ScreenshotAsync("jobs-list-paused-chip");
            await page.GotoAsync($"/jobs/{jobId}");
            await Expect(page.GetByTestId("paused-chip")).ToContainTextAsync("Paused — the job type demo");
            await admin.ScreenshotAsync("job-page-paused-chip");
            Assert.Equal("pending", (await api.GetJobAsync(jobId)).GetProperty("status").GetString());

            await page.GotoAsync("/settings/pauses");
            await page.GetByTestId("resume-type-demo").ClickAsync();
            await Expect(row).ToHaveAttributeAsync("data-paused", "false");
            Assert.Equal("completed", (await api.WaitForTerminalAsync(jobId)).GetProperty("status").GetString());
        }
        finally
        {
            await api.DeleteAsync("/api/pauses/types/demo");
        }
    }
}
