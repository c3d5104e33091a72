using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>DESIGN §7–8: another workspace's job is not found, in the UI as in the API.</summary>
public sealed class WorkspaceIsolationTests(Topology topology)
{
    [Fact]
    public async Task AnotherWorkspacesUser_OpeningAJobUrl_SeesNotFound_AndNoJobData()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var jobId = await api.SubmitDemoJobAsync(items: 2, delayMs: 10);
        await using var demo = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        await demo.Page.GotoAsync($"/jobs/{jobId}");
        await Expect(demo.Page.GetByTestId("job-status")).ToBeVisibleAsync();

        await using var other = await BrowserSession.SignedInAsync(topology, Topology.AcmeEmail);
        await other.Page.GotoAsync($"/jobs/{jobId}");

        await Expect(other.Page.GetByTestId("job-not-found")).ToBeVisibleAsync();
        await Expect(other.Page.GetByTestId("job-status")).ToHaveCountAsync(0);
        await Expect(other.Page.GetByTestId("job-progress")).ToHaveCountAsync(0);
        await Expect(other.Page.GetByTestId("job-payload")).ToHaveCountAsync(0);
        await Expect(other.Page.GetByTestId("workspace-name")).ToContainTextAsync("acme");
        await other.ScreenshotAsync("other-workspace-not-found");

        await other.Page.GotoAsync("/jobs");
        await Expect(other.Page.Locator($"[data-testid=job-row][data-job-id='{jobId}']")).ToHaveCountAsync(0);
    }
}
