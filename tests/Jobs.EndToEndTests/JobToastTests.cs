using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// The toast of a job the user starts: one per job, shown when the job is accepted, changing in place through started,
/// processing ("N of M") and its end in the job's own words, kept over a refresh, out of the phone's menu button.
/// </summary>
public sealed class JobToastTests(Topology topology)
{
    [Fact]
    public async Task SubscribingContacts_ShowsOneToast_ThatCountsNOfM_AndEndsWithTheSubscribedAndSkippedCounts()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var rows = page.GetByTestId("contact-row");

        // Arrange: the loaded contacts named Garcia (100, seven batches of 15 with a pause between them), selected.
        await page.GotoAsync("/contacts");
        await Expect(rows.First).ToBeVisibleAsync();
        await page.GetByTestId("contacts-search").FillAsync("garcia");
        await Expect(rows.First).ToContainTextAsync("garcia", new() { IgnoreCase = true });
        await Expect(page.GetByTestId("contacts-loading")).ToHaveCountAsync(0);
        await page.GetByTestId("contacts-select-all").ClickAsync();
        var selected = await rows.CountAsync();
        selected.ShouldBeGreaterThan(30);
        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync($"{selected} selected");

        // Act: subscribe them to Welcome.
        await page.GetByTestId("contacts-subscribe").ClickAsync();
        await page.GetByTestId("subscribe-sequence").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Welcome") }).ClickAsync();
        await page.GetByTestId("subscribe-submit").ClickAsync();

        // Assert: one toast at once, saying what it does, then "N of M contacts" with a percent while it runs.
        var toast = page.GetByTestId("job-toast");
        await Expect(toast).ToHaveCountAsync(1);
        var jobId = await toast.GetAttributeAsync("data-job-id");
        await Expect(toast.GetByTestId("job-toast-headline")).ToHaveTextAsync("Subscribing contacts to sequence…");
        var detail = toast.GetByTestId("job-toast-detail");
        await Expect(detail).ToHaveTextAsync(new Regex($"^([1-9][0-9]*) of {selected} contacts$"), new() { Timeout = 30_000 });
        await Expect(toast.GetByTestId("job-toast-percent")).ToHaveTextAsync(new Regex("^[1-9][0-9]? %$"));
        await session.ScreenshotAsync("toast-subscribe-processing", fullPage: false);
        var seen = new HashSet<string>();
        while (await toast.GetAttributeAsync("data-status") != "completed" && seen.Count < 3)
        {
            if (Regex.IsMatch(await detail.InnerTextAsync(), " of "))
            {
                seen.Add(await detail.InnerTextAsync());
            }

            await Task.Delay(200);
        }

        seen.Count.ShouldBeGreaterThan(1, $"the count moved in place: {string.Join(", ", seen)}");

        // Then it completes in place, in the subscription's own words: no second toast, no "…ing" left.
        await Expect(toast).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 90_000 });
        await Expect(toast).ToHaveCountAsync(1);
        await Expect(toast).ToHaveAttributeAsync("data-job-id", jobId!);
        await Expect(toast.GetByTestId("job-toast-headline")).ToHaveTextAsync("Sequence subscription completed");
        await Expect(detail).ToHaveTextAsync(new Regex(@"^[0-9]+ subscribed( · [0-9]+ skipped \([a-z ,0-9]+\))?( · [0-9]+ failed)?$"));
        await Expect(toast).Not.ToContainTextAsync("…");
        await Expect(toast.GetByTestId("job-toast-bar")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-testid=toast][data-job-id='{jobId}']")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("toast-subscribe-completed", fullPage: false);

        // The counts are the job's: its page agrees, and is named for people.
        var counts = await detail.InnerTextAsync();
        await toast.GetByTestId("job-toast-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/jobs/{jobId}$"));
        await Expect(page).ToHaveTitleAsync("Sequence subscription · Completed · Jobs");
        await Expect(page.GetByTestId("job-title")).ToHaveTextAsync("Sequence subscription");
        await Expect(page.GetByTestId("job-type")).ToHaveTextAsync("contacts.subscribe");
        var succeeded = await page.GetByTestId("result-succeeded").Locator(".mud-typography-h6").InnerTextAsync();
        counts.ShouldStartWith($"{succeeded} subscribed");
    }

    [Fact]
    public async Task AJobFromTheNewJobForm_KeepsItsToast_OverARefresh_UntilItEnds()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        // Arrange: a demo job of about 12 s, submitted from the form.
        await page.GotoAsync("/jobs/new?type=demo");
        await Expect(page.GetByTestId("new-job-type")).ToHaveValueAsync("Demo job");
        await page.GetByTestId("field-items").FillAsync("60");
        await page.GetByTestId("field-delayMs").FillAsync("200");
        await page.GetByTestId("submit-job").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        var jobId = page.Url[^36..];
        var toast = page.Locator($"[data-testid=job-toast][data-job-id='{jobId}']");
        await Expect(toast.GetByTestId("job-toast-detail")).ToHaveTextAsync(new Regex("^[1-9][0-9]* of 60 items$"), new() { Timeout = 30_000 });

        // Act: refresh the page while the job runs.
        await page.ReloadAsync();

        // Assert: the toast is back, still one, still counting, and ends in the job's words.
        await Expect(page.GetByTestId("job-status")).ToBeVisibleAsync();
        await Expect(toast).ToHaveCountAsync(1);
        await Expect(toast.GetByTestId("job-toast-headline")).ToHaveTextAsync("Processing items…");
        await Expect(toast.GetByTestId("job-toast-detail")).ToHaveTextAsync(new Regex("^[1-9][0-9]* of 60 items$"));
        await Expect(toast).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Expect(toast.GetByTestId("job-toast-headline")).ToHaveTextAsync("Demo job completed");
        await Expect(toast.GetByTestId("job-toast-detail")).ToHaveTextAsync("60 items processed");
        await Expect(page.GetByTestId("job-toast")).ToHaveCountAsync(1);

        // Dismissed, it stays dismissed after another refresh.
        await toast.GetByTestId("job-toast-dismiss").ClickAsync();
        await Expect(toast).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("job-status")).ToBeVisibleAsync();
        await Task.Delay(1000);
        await Expect(toast).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ARetriedJobThatFailsAgain_ShowsTheErrorWithRetry_InItsOneToast()
    {
        // Arrange: a demo job that fails at once, without retries (the workers here may not crash on request).
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var jobId = await api.SubmitAsync("demo", new { items = 5, crashAfterItems = 2 });
        (await api.WaitForTerminalAsync(jobId)).GetProperty("status").GetString().ShouldBe("failed");
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        await page.GotoAsync($"/jobs/{jobId}");
        await Expect(page).ToHaveTitleAsync("Demo job · Failed · Jobs");

        // Act: retry it from its page.
        await page.GetByTestId("job-retry").ClickAsync();

        // Assert: its toast fails in place, with the error and a Retry that retries it again in the same toast.
        var toast = page.GetByTestId("job-toast");
        await Expect(toast).ToHaveAttributeAsync("data-status", "failed", new() { Timeout = 30_000 });
        await Expect(toast).ToHaveAttributeAsync("data-job-id", jobId.ToString());
        await Expect(toast.GetByTestId("job-toast-headline")).ToHaveTextAsync("Demo job failed during processing");
        await Expect(toast.GetByTestId("job-toast-detail")).ToContainTextAsync("crashAfterItems");
        await session.ScreenshotAsync("toast-failed", fullPage: false);
        await toast.GetByTestId("job-toast-retry").ClickAsync();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Retries(await api.GetJsonAsync($"/api/jobs/{jobId}/timeline")) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Retries(await api.GetJsonAsync($"/api/jobs/{jobId}/timeline")).ShouldBe(2);
        await Expect(toast).ToHaveAttributeAsync("data-status", "failed", new() { Timeout = 30_000 });
        await Expect(toast).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task OnAPhone_TheToastCoversNeitherTheMenuButton_NorThePagesEnd()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail, phone: true);
        var page = session.Page;
        var rows = page.GetByTestId("contact-row");

        // Arrange: an export started on the contacts page, whose toast stays a while once it completes.
        await page.GotoAsync("/contacts");
        await Expect(rows.First).ToBeVisibleAsync();

        // Act
        await page.GetByTestId("contacts-export").ClickAsync();

        // Assert: at the top and at the end of the page, the toast is clear of the menu button and of the last rows.
        var toast = page.GetByTestId("job-toast");
        await Expect(toast).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Expect(toast.GetByTestId("job-toast-action")).ToHaveTextAsync("Download contacts.csv");
        var menu = page.GetByTestId("menu-toggle");
        foreach (var scroll in new[] { "0", "document.documentElement.scrollHeight" })
        {
            await page.EvaluateAsync($"() => window.scrollTo(0, {scroll})");
            await Task.Delay(300);
            var covering = (await toast.BoundingBoxAsync())!;
            Overlap((await menu.BoundingBoxAsync())!, covering).ShouldBeFalse($"the toast covers the menu button (scrolled to {scroll})");
            if (scroll != "0")
            {
                var last = page.GetByTestId("load-more");
                Overlap((await last.BoundingBoxAsync())!, covering).ShouldBeFalse("the toast covers the page's last control");
            }
        }

        await session.ScreenshotAsync("phone-toast", fullPage: false);
        await menu.ClickAsync(new() { Timeout = 3_000 });
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" })).ToBeInViewportAsync();
    }

    private static int Retries(JsonElement timeline) => timeline.EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "retried");

    private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;
}
