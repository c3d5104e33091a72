using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>Submitting from the generated form, watching a job live, cancelling and retrying it.</summary>
public sealed class JobPageTests(Topology topology)
{
    [Fact]
    public async Task NewJobForm_SubmitsADemoJob_AndItsPageShowsProgressLive_WithoutAReload()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        // Arrange: the form generated from the demo type's schema.
        // The form picks the first type by name (contacts.* now sort before demo), so the test names the type it means.
        await page.GotoAsync("/jobs/new?type=demo");
        // MudSelect renders a combobox element showing the chosen type by its title; the payload fields are real <input>s.
        await Expect(page.GetByTestId("new-job-type")).ToHaveValueAsync("Demo job");
        await Expect(page.GetByTestId("new-job-type")).ToHaveAttributeAsync("role", "combobox");
        (await page.GetByTestId("field-items").EvaluateAsync<string>("e => e.tagName")).ShouldBe("INPUT");
        await page.GetByTestId("field-items").FillAsync("40");
        await page.GetByTestId("field-delayMs").FillAsync("150");
        await session.ScreenshotAsync("new-job-form");

        // Act
        await page.GetByTestId("submit-job").ClickAsync();

        // Assert: the job page; a marker on window proves that no reload happens while progress advances.
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await page.EvaluateAsync("() => window.__noReload = true");
        var progress = page.GetByTestId("job-progress");
        var seen = new SortedSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var screenshotTaken = false;
        while (DateTime.UtcNow < deadline)
        {
            var value = int.Parse(await progress.GetAttributeAsync("aria-valuenow") ?? "0");
            seen.Add(value);
            if (!screenshotTaken && value is > 30 and < 90)
            {
                await session.ScreenshotAsync("job-page-processing");
                screenshotTaken = true;
            }

            if (await page.GetByTestId("job-status").GetAttributeAsync("data-status") == "completed")
            {
                break;
            }

            await Task.Delay(100);
        }

        seen.Where(v => v is > 0 and < 100).Count().ShouldBeGreaterThanOrEqualTo(3, $"progress values seen: {string.Join(", ", seen)}");
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed");
        await Expect(progress).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(page.GetByTestId("job-processed")).ToHaveTextAsync("40 of 40 items");
        // Ended: the current stage reads as the ending; the timeline keeps the stage it went through.
        await Expect(page.GetByTestId("job-stage")).ToHaveTextAsync("Completed");
        await Expect(page.GetByTestId("job-stage")).ToHaveAttributeAsync("data-stage", "processing");
        await Expect(page.GetByTestId("job-timeline")).ToContainTextAsync("Stage: Processing items…");
        await Expect(page.GetByTestId("job-result")).ToContainTextAsync("\"items\": 40");
        await Expect(page.GetByTestId("job-timeline")).ToContainTextAsync("Completed");
        await Expect(page.GetByTestId("job-cancel")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("job-retry")).ToBeDisabledAsync();
        (await page.EvaluateAsync<bool>("() => window.__noReload === true")).ShouldBeTrue("the page reloaded");
        await session.ScreenshotAsync("job-page-completed");
    }

    [Fact]
    public async Task RunningJob_CanBeCancelled_ThenRetried_WithTheButtonsFollowingItsStatus()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var jobId = await api.SubmitDemoJobAsync(items: 400, delayMs: 100);
        try
        {
            await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
            var page = session.Page;
            await page.GotoAsync($"/jobs/{jobId}");

            // Arrange: running, with some progress.
            await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "processing", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("job-progress")).Not.ToHaveAttributeAsync("aria-valuenow", "0");
            await Expect(page.GetByTestId("job-retry")).ToBeDisabledAsync();

            // Act 1: cancel.
            await page.GetByTestId("job-cancel").ClickAsync();

            await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("job-cancel")).ToBeDisabledAsync();
            await Expect(page.GetByTestId("job-retry")).ToBeEnabledAsync();
            await Expect(page.GetByTestId("job-timeline")).ToContainTextAsync("Cancel requested");
            // The audit trail: both the API's sign-in and the browser's are UI sessions of the demo user.
            await Expect(page.GetByTestId("job-timeline")).ToContainTextAsync($"submitted by {Topology.DemoEmail} in the web UI");
            await Expect(page.GetByTestId("job-timeline")).ToContainTextAsync($"cancelled by {Topology.DemoEmail} in the web UI");
            await session.ScreenshotAsync("job-page-cancelled");

            // Act 2: retry; it runs again from the start.
            await page.GetByTestId("job-retry").ClickAsync();

            await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "processing", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("job-cancel")).ToBeEnabledAsync();
            await Expect(page.GetByTestId("job-retry")).ToBeDisabledAsync();
            await Expect(page.GetByTestId("job-timeline")).ToContainTextAsync("Retried");
            await Expect(page.GetByTestId("job-timeline")).ToContainTextAsync($"retried by {Topology.DemoEmail} in the web UI");
            await session.ScreenshotAsync("job-page-retried");
        }
        finally
        {
            await api.CancelAsync(jobId);
        }
    }

    [Fact]
    public async Task SecondTab_OpenedMidJob_ShowsTheSameLiveState()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var jobId = await api.SubmitDemoJobAsync(items: 60, delayMs: 100);
        await using var first = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        await first.Page.GotoAsync($"/jobs/{jobId}");
        await Expect(first.Page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "processing", new() { Timeout = 30_000 });

        var second = await first.Page.Context.NewPageAsync();
        await second.GotoAsync($"/jobs/{jobId}");

        await Expect(second.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        await Expect(first.Page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed");
        await Expect(second.GetByTestId("job-processed")).ToHaveTextAsync("60 of 60 items");
        // The status is drawn from the live update at once; the timeline is re-read after it, so wait for its entry.
        foreach (var page in new[] { first.Page, second })
        {
            await Expect(page.GetByTestId("job-timeline").Locator("[data-kind=completed]")).ToHaveCountAsync(1);
        }

        (await second.GetByTestId("job-timeline").InnerTextAsync()).ShouldBe(await first.Page.GetByTestId("job-timeline").InnerTextAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompletionToast_CoversNoneOfTheJobPagesControls(bool phone)
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail, phone);
        var page = session.Page;

        // Arrange: the job's page, open while it runs (about 5 s), so that its completion toasts.
        var jobId = await api.SubmitDemoJobAsync(items: 50, delayMs: 100);
        await page.GotoAsync($"/jobs/{jobId}");
        await Expect(page.GetByTestId("job-status")).Not.ToHaveAttributeAsync("data-status", "completed");
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        var toast = page.Locator(".mud-snackbar", new() { Has = page.Locator($"[data-testid=toast][data-job-id='{jobId}']") });
        await Expect(toast).ToBeVisibleAsync();

        // Assert: at the top of the page and at its end, no toast overlaps a control. (On a phone, text scrolled under
        // the app bar goes under a toast too: there is no spot on so small a screen that covers nothing at all.)
        var payload = page.Locator(".mud-expand-panel-header", new() { HasText = "Payload" });
        var controls = new[] { page.GetByTestId("job-cancel"), page.GetByTestId("job-retry"), payload };
        foreach (var scroll in new[] { "0", "document.documentElement.scrollHeight" })
        {
            await page.EvaluateAsync($"() => window.scrollTo(0, {scroll})");
            var toasts = await page.Locator("#mud-snackbar-container .mud-snackbar").AllAsync();
            toasts.Count.ShouldBeGreaterThan(0);
            foreach (var control in controls)
            {
                var box = await control.BoundingBoxAsync();
                box.ShouldNotBeNull();
                foreach (var t in toasts)
                {
                    var covering = await t.BoundingBoxAsync();
                    if (covering is not null)
                    {
                        Overlap(box, covering).ShouldBeFalse($"a toast at {Describe(covering)} covers {Describe(box)} (scrolled to {scroll})");
                    }
                }
            }
        }

        // The Payload expander opens with the toast still up: nothing intercepts the click.
        await Expect(toast).ToBeVisibleAsync();
        await payload.ClickAsync(new() { Timeout = 3_000 });
        await Expect(page.GetByTestId("job-payload")).ToContainTextAsync("\"items\": 50");
        await session.ScreenshotAsync(phone ? "phone-job-page-toast" : "job-page-toast", fullPage: false);
    }

    private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    private static string Describe(LocatorBoundingBoxResult box) => $"({box.X:0},{box.Y:0} {box.Width:0}×{box.Height:0})";
}
