using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>Jobs named for people (the catalog's titles and stage sentences), and a long single call counting its time.</summary>
public sealed class JobNamesTests(Topology topology)
{
    [Fact]
    public async Task JobsList_NamesJobsByTitle_InItsRows_AndItsTypeFilter()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var jobId = await api.SubmitDemoJobAsync(items: 3, delayMs: 10);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        var row = page.Locator($"[data-testid=job-row][data-job-id='{jobId}']");
        await Expect(row.GetByTestId("job-title")).ToHaveTextAsync("Demo job");
        await Expect(row.GetByTestId("job-stage")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        await Expect(row.GetByTestId("job-processed")).ToHaveTextAsync("3 of 3 items");

        await page.GetByTestId("filter-type").ClickAsync();
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Option, new() { Name = "Lead discovery" })).ToBeVisibleAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Option, new() { Name = "Demo job" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("type=demo"));
        await Expect(page.GetByTestId("filter-type")).ToHaveValueAsync("Demo job");
        await session.ScreenshotAsync("jobs-list-titles", fullPage: false);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("leads.discover");
    }

    [Fact]
    public async Task AJourney_CountsItsElapsedTime_InItsStagesSentence_WithoutATimeLeftThatGrows()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        // The simulated model answers in about 4 s.
        var jobId = await api.SubmitAsync("journey.from-transcript", new
        {
            transcript = "Customer: I found you through a friend.\nAgent: How was the setup?\nCustomer: Confusing, the tutorial crashed.",
        });
        await page.GotoAsync($"/jobs/{jobId}");

        var stage = page.GetByTestId("job-stage");
        await Expect(stage).ToHaveTextAsync(new Regex(@"^Analyzing the transcript… [0-9]+ s$"), new() { Timeout = 30_000 });
        await Expect(page).ToHaveTitleAsync("Journey from transcript · Processing · Jobs");
        var first = await stage.InnerTextAsync();
        await Expect(page.GetByTestId("job-eta")).ToHaveTextAsync("—");
        await session.ScreenshotAsync("journey-elapsed", fullPage: false);
        await Expect(stage).Not.ToHaveTextAsync(first, new() { Timeout = 3_000 });
        (await stage.InnerTextAsync()).ShouldMatch(@"^(Analyzing the transcript… [0-9]+ s|Reading the journey…|Completed)$");

        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Expect(stage).ToHaveTextAsync("Completed");
        await Expect(page).ToHaveTitleAsync("Journey from transcript · Completed · Jobs");
        await Expect(page.GetByTestId("job-metric-total_cost")).ToContainTextAsync("Cost");
    }
}
