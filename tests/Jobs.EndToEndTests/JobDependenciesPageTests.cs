using Jobs.EndToEndTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>The job page's dependencies: what a job waits for and what waits for it, each with its status and link.</summary>
public sealed class JobDependenciesPageTests(Topology topology)
{
    [Fact]
    public async Task A_waiting_job_shows_what_it_waits_for_and_what_waits_for_it()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var first = await api.SubmitDemoJobAsync(items: 1000, delayMs: 100);
        var middle = (await api.PostJsonAsync("/api/jobs", new { type = "demo", payload = new { items = 1 }, dependsOn = new[] { first } }))
            .GetProperty("jobId").GetGuid();
        var last = (await api.PostJsonAsync("/api/jobs", new { type = "demo", payload = new { items = 1 }, dependsOn = new[] { middle } }))
            .GetProperty("jobId").GetGuid();
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        try
        {
            await page.GotoAsync($"/jobs/{middle}");

            await Expect(page.GetByTestId("waiting-for-dependencies")).ToHaveTextAsync("Waiting for 1 job");
            await Expect(page.GetByTestId("waiting-for-slot")).ToHaveCountAsync(0);
            var dependsOn = page.GetByTestId("job-depends-on");
            await Expect(dependsOn.Locator($"[data-job='{first}']")).ToBeVisibleAsync();
            await Expect(dependsOn.Locator($"[data-job='{first}'] [data-testid='job-status']")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("pending|processing"));
            await Expect(page.GetByTestId("job-dependency-policy")).ToContainTextAsync("cancelled if one fails");
            await Expect(page.GetByTestId("job-dependents").Locator($"[data-job='{last}']")).ToBeVisibleAsync();
            await session.ScreenshotAsync("job-page-dependencies");

            // The link leads to the job waited for, whose page lists this one as waiting for it.
            await dependsOn.Locator($"[data-job='{first}'] a").ClickAsync();
            await Expect(page).ToHaveURLAsync($"/jobs/{first}");
            await Expect(page.GetByTestId("job-dependents").Locator($"[data-job='{middle}']")).ToBeVisibleAsync();
        }
        finally
        {
            // Cancelling the first cancels the chain (docs/design.md, "Dependencies").
            await api.CancelAsync(first);
        }

        var cancelled = await api.WaitForTerminalAsync(last);
        cancelled.GetProperty("error").GetString().ShouldBe($"dependency {middle} was cancelled");
    }

    [Fact]
    public async Task The_new_job_form_submits_a_job_that_waits_and_names_an_unknown_id()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var first = await api.SubmitDemoJobAsync(items: 1000, delayMs: 100);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        try
        {
            await page.GotoAsync("/jobs/new?type=demo");
            await page.GetByTestId("field-items").FillAsync("1");
            var missing = Guid.CreateVersion7();
            await page.GetByTestId("new-job-depends-on").Locator("textarea").FillAsync($"{first}, {missing}");
            await page.GetByTestId("submit-job").ClickAsync();
            await Expect(page.GetByTestId("new-job-depends-on")).ToContainTextAsync($"Job {missing} does not exist.");
            await session.ScreenshotAsync("new-job-depends-on-unknown");

            await page.GetByTestId("new-job-depends-on").Locator("textarea").FillAsync(first.ToString());
            await page.GetByTestId("submit-job").ClickAsync();

            await Expect(page.GetByTestId("waiting-for-dependencies")).ToHaveTextAsync("Waiting for 1 job");
            await Expect(page.GetByTestId("job-depends-on").Locator($"[data-job='{first}']")).ToBeVisibleAsync();
        }
        finally
        {
            await api.CancelAsync(first);
        }
    }
}
