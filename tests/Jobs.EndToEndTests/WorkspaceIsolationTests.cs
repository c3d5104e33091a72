using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>Another workspace's job is not found, in the UI as in the API (docs/design.md, "Tenancy").</summary>
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

    [Fact]
    public async Task AnotherWorkspacesUser_CannotOpenItsCampaign_DownloadItsFiles_OrSeeItsContacts()
    {
        // Arrange: demo has a campaign (from a small lead discovery) and an exported contacts file.
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var discovery = await api.SubmitAsync("leads.discover", new { businessType = "bakeries", location = "Leeds", maxResults = 2, minConfidenceScore = 0 });
        var export = await api.SubmitAsync("contacts.export", new { });
        (await api.WaitForTerminalAsync(discovery)).GetProperty("status").GetString().ShouldBe("completed");
        (await api.WaitForTerminalAsync(export)).GetProperty("status").GetString().ShouldBe("completed");
        var campaignId = (await api.GetJsonAsync("/api/campaigns")).GetProperty("items")
            .EnumerateArray().First(c => c.GetProperty("jobId").GetGuid() == discovery).GetProperty("id").GetGuid();
        var someDemoContact = (await api.GetJsonAsync("/api/contacts?limit=1")).GetProperty("items")[0].GetProperty("email").GetString()!;

        await using var acme = await BrowserSession.SignedInAsync(topology, Topology.AcmeEmail);

        // Act + assert: the campaign page, its CSV, the job's file: all not found, nothing of demo's shown.
        await acme.Page.GotoAsync($"/campaigns/{campaignId}");
        await Expect(acme.Page.GetByTestId("campaign-not-found")).ToBeVisibleAsync();
        await Expect(acme.Page.GetByTestId("lead-row")).ToHaveCountAsync(0);

        var leadsCsv = await acme.Page.APIRequest.GetAsync($"/download/campaigns/{campaignId}/leads.csv");
        leadsCsv.Status.ShouldBe(404);
        var file = await acme.Page.APIRequest.GetAsync($"/download/jobs/{export}/files/contacts.csv");
        file.Status.ShouldBe(404);
        (await file.TextAsync()).ShouldNotContain("@");

        await acme.Page.GotoAsync("/campaigns");
        await Expect(acme.Page.Locator($"[data-campaign-id='{campaignId}']")).ToHaveCountAsync(0);
        await acme.Page.GotoAsync("/contacts");
        await Expect(acme.Page.GetByTestId("contacts-empty")).ToBeVisibleAsync();
        await Expect(acme.Page.GetByTestId("contact-row")).ToHaveCountAsync(0);
        await Expect(acme.Page.GetByText(someDemoContact)).ToHaveCountAsync(0);
        await acme.ScreenshotAsync("acme-cannot-see-demo-campaign");

        // The same URLs work for demo, so the 404s above are about the workspace, not a broken route.
        await using var demo = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        (await demo.Page.APIRequest.GetAsync($"/download/jobs/{export}/files/contacts.csv")).Status.ShouldBe(200);
    }
}
