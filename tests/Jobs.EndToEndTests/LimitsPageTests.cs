using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>The workspace's limits on the settings page, and jobs beyond the concurrency limit shown as waiting.</summary>
public sealed class LimitsPageTests(Topology topology)
{
    [Fact]
    public async Task AnInvalidLimit_ShowsTheApisReasonAtItsField_AndChangesNothing_WhileAValidOneIsSaved()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var before = (await api.GetJsonAsync("/api/workspace")).GetProperty("limits");
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = admin.Page;
        await page.GetByTestId("nav-limits").ClickAsync();
        var concurrency = page.GetByTestId("limit-maxConcurrentJobs");
        await Expect(concurrency).ToHaveValueAsync(before.GetProperty("maxConcurrentJobs").GetInt32().ToString());
        // The storage quota is shown beside the usage, not as a field: it is the operator's to set.
        await Expect(page.GetByTestId("usage-storage")).ToContainTextAsync(" of 1 GB");

        await concurrency.FillAsync("0");
        // The numeric field takes its value on change (blur): leave it first, so that a busy server cannot see the
        // click before the new value (a loaded CI run did).
        await concurrency.PressAsync("Tab");
        await page.GetByTestId("limits-save").ClickAsync();

        await Expect(FieldOf(page, "limit-maxConcurrentJobs")).ToContainTextAsync("between 1 and 16: 16 is the most the platform's operator allows");
        await Expect(FieldOf(page, "limit-maxBatchItems")).Not.ToContainTextAsync("between");
        await admin.ScreenshotAsync("limits-field-error");
        Assert.Equal(before.GetRawText(), (await api.GetJsonAsync("/api/workspace")).GetProperty("limits").GetRawText());

        var pause = before.GetProperty("subscribeBatchPauseMs").GetInt32() + 1;
        await concurrency.FillAsync(before.GetProperty("maxConcurrentJobs").GetInt32().ToString());
        await page.GetByTestId("limit-subscribeBatchPauseMs").FillAsync(pause.ToString());
        await page.GetByTestId("limit-subscribeBatchPauseMs").PressAsync("Tab");
        try
        {
            await page.GetByTestId("limits-save").ClickAsync();

            await Expect(page.GetByText("Saved the limits.")).ToBeVisibleAsync();
            await Expect(FieldOf(page, "limit-maxConcurrentJobs")).Not.ToContainTextAsync("between");
            Assert.Equal(pause, (await api.GetJsonAsync("/api/workspace")).GetProperty("limits").GetProperty("subscribeBatchPauseMs").GetInt32());
        }
        finally
        {
            await api.PutJsonAsync("/api/workspace/limits", before);
        }
    }

    [Fact]
    public async Task APendingJob_OfAWorkspaceAtItsConcurrencyLimit_ShowsAsWaitingForASlot()
    {
        // acme, not demo: a limit of one would slow the other tests' demo jobs.
        var api = await topology.ApiAsync(Topology.AcmeEmail);
        var before = (await api.GetJsonAsync("/api/workspace")).GetProperty("limits");
        var limits = JsonSerializer.Deserialize<Dictionary<string, int>>(before.GetRawText())!;
        limits["maxConcurrentJobs"] = 1;
        await api.PutJsonAsync("/api/workspace/limits", limits);
        var jobs = new List<Guid>();
        try
        {
            await using var session = await BrowserSession.SignedInAsync(topology, Topology.AcmeEmail);
            jobs.Add(await api.SubmitDemoJobAsync(items: 600, delayMs: 100));
            jobs.Add(await api.SubmitDemoJobAsync(items: 600, delayMs: 100));

            var rows = session.Page.Locator("[data-testid=job-row]");
            await Expect(rows.And(session.Page.Locator("[data-status=processing]"))).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            var waiting = session.Page.Locator("[data-testid=job-row][data-status=pending]")
                .Filter(new() { Has = session.Page.GetByTestId("waiting-for-slot") });
            await Expect(waiting).ToHaveCountAsync(1);
            await session.ScreenshotAsync("jobs-list-waiting-for-slot");

            var waitingId = await waiting.GetAttributeAsync("data-job-id");
            await session.Page.GotoAsync($"/jobs/{waitingId}");
            await Expect(session.Page.GetByTestId("waiting-for-slot")).ToContainTextAsync("Waiting for a slot — 1 of 1 running");
            await session.ScreenshotAsync("job-page-waiting-for-slot");

            // The running one ends: the slot goes to the waiting job, and the hint goes with it.
            await api.CancelAsync(jobs.Single(id => id.ToString() != waitingId));
            await Expect(session.Page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "processing", new() { Timeout = 30_000 });
            await Expect(session.Page.GetByTestId("waiting-for-slot")).ToHaveCountAsync(0);
        }
        finally
        {
            foreach (var id in jobs)
            {
                await api.CancelAsync(id);
            }

            await api.PutJsonAsync("/api/workspace/limits", before);
        }
    }

    [Fact]
    public async Task BulkJobsLeft_ShowWhereBulkJobsStart_AndARefusalSaysHowManyMinutesToWait()
    {
        // acme, not demo: its hour of bulk jobs is used up here, and this class's tests run one at a time.
        var api = await topology.ApiAsync(Topology.AcmeEmail);
        var before = (await api.GetJsonAsync("/api/workspace")).GetProperty("limits");
        var limits = JsonSerializer.Deserialize<Dictionary<string, int>>(before.GetRawText())!;
        var used = (await api.GetJsonAsync("/api/workspace/bulk-jobs")).GetProperty("used").GetInt32();
        limits["bulkJobsPerHour"] = used + 1;
        await api.PutJsonAsync("/api/workspace/limits", limits);
        try
        {
            // Each API instance reads the limits through a cache of a few seconds.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await api.GetJsonAsync("/api/workspace/bulk-jobs")).GetProperty("limit").GetInt32() != used + 1 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            await using var session = await BrowserSession.SignedInAsync(topology, Topology.AcmeEmail);
            var page = session.Page;
            await page.GotoAsync("/contacts");
            var left = page.GetByTestId("bulk-jobs-left");
            await Expect(left).ToContainTextAsync($"1 of {used + 1} bulk job");
            await Expect(left).ToContainTextAsync("left this hour");

            // Act: the last one of the hour, then one more.
            await page.GetByTestId("contacts-export").ClickAsync();
            await Expect(page.GetByTestId("job-toast").Filter(new() { HasTextRegex = new Regex("Exporting contacts|Contact export") })).ToBeVisibleAsync();
            await Expect(left).ToContainTextAsync("No bulk jobs left this hour");
            await Expect(left).ToContainTextAsync(new Regex(@"the next one frees in \d+ minutes \(\d\d:\d\d UTC\)"));
            await page.GetByTestId("contacts-export").ClickAsync();

            // Assert: the refusal says the wait in minutes, as a person reads it.
            var refusal = page.Locator(".mud-snackbar", new() { HasText = "Exporting all contacts failed" });
            await Expect(refusal).ToContainTextAsync(new Regex(@"Try again in \d+ minutes\."));
            await Expect(refusal).Not.ToContainTextAsync(new Regex(@"\d+ s\b"));
            await session.ScreenshotAsync("contacts-bulk-limit-reached", fullPage: false);

            // The new-job form says the same before a bulk type is submitted.
            await page.GotoAsync("/jobs/new?type=contacts.export");
            await Expect(page.GetByTestId("bulk-jobs-left")).ToContainTextAsync("No bulk jobs left this hour");
            await page.GetByTestId("submit-job").ClickAsync();
            await Expect(page.GetByTestId("form-error")).ToContainTextAsync(new Regex(@"Try again in \d+ minutes\."));
            await session.ScreenshotAsync("new-job-bulk-limit-reached", fullPage: false);
        }
        finally
        {
            await api.PutJsonAsync("/api/workspace/limits", before);
        }
    }

    private static ILocator FieldOf(IPage page, string testId) =>
        page.Locator(".mud-input-control").Filter(new() { Has = page.GetByTestId(testId) });
}
