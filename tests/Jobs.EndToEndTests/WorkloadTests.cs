using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>The workloads' pages: lead discovery and its campaign, bulk actions on the contacts page, and AI journeys.</summary>
public sealed class WorkloadTests(Topology topology)
{
    [Fact]
    public async Task LeadDiscovery_FromTheNewJobForm_OpensItsCampaign_WithLeadsAndACsvExport()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        // Arrange: the form for leads.discover.
        await page.GotoAsync("/jobs/new?type=leads.discover");
        await Expect(page.GetByTestId("new-job-type")).ToHaveValueAsync("Lead discovery");
        await page.GetByTestId("field-businessType").FillAsync("plumbers");
        await page.GetByTestId("field-location").FillAsync("Austin, TX");

        // Act
        await page.GetByTestId("submit-job").ClickAsync();

        // Assert: the job completes (simulated services, ~15 s) and links to its campaign.
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 120_000 });
        await Expect(page.GetByTestId("result-source")).ToHaveTextAsync("simulated");
        await session.ScreenshotAsync("leads-job-completed");
        await page.GetByTestId("result-campaign-link").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/campaigns/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("campaign-name")).ToContainTextAsync("plumbers", new() { IgnoreCase = true });
        await Expect(page.GetByTestId("lead-row").First).ToBeVisibleAsync();
        (await page.GetByTestId("lead-row").CountAsync()).ShouldBeGreaterThan(0);
        await session.ScreenshotAsync("campaign-page");

        // The CSV comes through the web, which holds the key the browser does not.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-leads").ClickAsync());
        var path = await download.PathAsync();
        var csv = await File.ReadAllTextAsync(path!);
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeGreaterThan(1, csv);
        download.SuggestedFilename.ShouldEndWith(".csv");

        // The list shows it too.
        var campaignUrl = page.Url;
        await page.GotoAsync("/campaigns");
        await Expect(page.GetByTestId("campaign-row").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("campaigns-list");

        // On a phone the leads table stacks and nothing scrolls sideways.
        await using var phone = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail, phone: true);
        await phone.Page.GotoAsync(campaignUrl);
        await Expect(phone.Page.GetByTestId("lead-row").First).ToBeVisibleAsync();
        (await phone.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")).ShouldBeLessThanOrEqualTo(0);
        await phone.ScreenshotAsync("phone-campaign-page");
    }

    [Fact]
    public async Task ContactsPage_SubscribesSelectedContactsToASequence_AndTheJobPageShowsTheGroups()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        // Arrange: three contacts selected.
        await page.GotoAsync("/contacts");
        var rows = page.GetByTestId("contact-row");
        await Expect(rows.First).ToBeVisibleAsync();
        for (var i = 0; i < 3; i++)
        {
            await rows.Nth(i).GetByTestId("contact-select").ClickAsync();
            await Expect(rows.Nth(i)).ToHaveAttributeAsync("data-selected", "true");
        }

        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync("3 selected");
        await session.ScreenshotAsync("contacts-selected", fullPage: false);

        // Act: subscribe them to Welcome.
        await page.GetByTestId("contacts-subscribe").ClickAsync();
        await page.GetByTestId("subscribe-sequence").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Welcome") }).ClickAsync();
        await page.GetByTestId("subscribe-submit").ClickAsync();

        // Assert: still on the page, which keeps working, with the job's toast linking to it.
        var link = ToastOf(page, "Subscribing contacts|Sequence subscription").GetByTestId("job-toast-link");
        await Expect(link).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/contacts$"));
        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync("Select contacts for bulk actions");
        await page.GetByTestId("contacts-search").FillAsync("smith");
        await Expect(rows.First).ToContainTextAsync("smith", new() { IgnoreCase = true });
        await Expect(page.GetByTestId("contacts-loading")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("contacts-job-started", fullPage: false);

        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("result-subscribe")).ToContainTextAsync("Welcome");
        var succeeded = int.Parse(await page.GetByTestId("result-succeeded").Locator(".mud-typography-h6").InnerTextAsync());
        var blocked = int.Parse(await page.GetByTestId("result-blocked").Locator(".mud-typography-h6").InnerTextAsync());
        var failed = int.Parse(await page.GetByTestId("result-failed").Locator(".mud-typography-h6").InnerTextAsync());
        (succeeded + blocked + failed).ShouldBe(3);
        await session.ScreenshotAsync("subscribe-job-completed");

        // On a phone the contacts stack, with their checkboxes, and nothing scrolls sideways.
        await using var phone = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail, phone: true);
        await phone.Page.GotoAsync("/contacts");
        await Expect(phone.Page.GetByTestId("contact-row").First).ToBeVisibleAsync();
        await phone.Page.GetByTestId("contact-row").First.GetByTestId("contact-select").ClickAsync();
        await Expect(phone.Page.GetByTestId("contacts-selected")).ToHaveTextAsync("1 selected");
        (await phone.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")).ShouldBeLessThanOrEqualTo(0);
        await phone.ScreenshotAsync("phone-contacts", fullPage: false);
    }

    [Fact]
    public async Task ContactsPage_TagsTwoContacts_ExportsThemByTag_AndImportsACsvReportingItsInvalidRows()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var run = Guid.NewGuid().ToString("N")[..8];
        var tag = $"e2e-tag-{run}";
        var rows = page.GetByTestId("contact-row");

        // Arrange: two contacts selected.
        await page.GotoAsync("/contacts");
        await Expect(rows.First).ToBeVisibleAsync();
        var tagged = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            tagged.Add((await rows.Nth(i).GetAttributeAsync("data-contact-id"))!);
            await rows.Nth(i).GetByTestId("contact-select").ClickAsync();
            await Expect(rows.Nth(i)).ToHaveAttributeAsync("data-selected", "true");
        }

        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync("2 selected");

        // Act: tag them.
        await page.GetByTestId("contacts-tag").ClickAsync();
        await page.GetByTestId("tag-input").FillAsync(tag);
        await page.GetByTestId("tag-submit").ClickAsync();

        // Assert: the tag job completes, and filtering by the tag shows exactly those two.
        await ToastOf(page, "Tagging contacts|Contact tagging").GetByTestId("job-toast-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });

        await page.GotoAsync("/contacts");
        await Expect(rows.First).ToBeVisibleAsync();
        await page.GetByTestId("contacts-filter-tag").FillAsync(tag);
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("contacts-loading")).ToHaveCountAsync(0);
        var shown = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            shown.Add((await rows.Nth(i).GetAttributeAsync("data-contact-id"))!);
            await Expect(rows.Nth(i)).ToContainTextAsync(tag);
        }

        shown.Order().ShouldBe(tagged.Order());

        // Export with the tag filter: the job's file is the header and those two rows.
        await page.GetByTestId("contacts-export").ClickAsync();
        await ToastOf(page, "Exporting contacts|Contact export").GetByTestId("job-toast-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        var downloadLink = page.GetByTestId("result-download");
        await Expect(downloadLink).ToBeVisibleAsync();
        var href = await downloadLink.GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), href).ToString());
        response.Ok.ShouldBeTrue($"{response.Status} {href}");
        var lines = (await response.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBe(3, string.Join('\n', lines));
        lines[0].ShouldStartWith("email,first_name,last_name,company");
        foreach (var id in tagged)
        {
            lines.Skip(1).ShouldContain(l => l.Contains(id), id);
        }

        // Import a CSV of two valid rows and two broken ones (a bad email on line 3, no email on line 5).
        var csvPath = Path.Combine(Path.GetTempPath(), $"e2e-import-{run}.csv");
        await File.WriteAllTextAsync(csvPath, string.Join('\n',
            "email,first_name,last_name,company",
            $"e2e-import-{run}-1@example.com,Ada,Import,E2E Co",
            "not-an-email,Bad,Email,E2E Co",
            $"e2e-import-{run}-2@example.com,Bob,Import,E2E Co",
            ",Missing,Email,E2E Co") + "\n");
        try
        {
            await page.GotoAsync("/contacts");
            await Expect(rows.First).ToBeVisibleAsync();
            await page.Locator("input[type=file]").SetInputFilesAsync(csvPath);
            await ToastOf(page, "Importing contacts|Contact import").GetByTestId("job-toast-link").ClickAsync();
        }
        finally
        {
            File.Delete(csvPath);
        }

        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        var invalid = page.GetByTestId("result-invalid").Locator("tbody tr");
        await Expect(invalid).ToHaveCountAsync(2);
        await Expect(invalid.Nth(0).Locator("td").First).ToHaveTextAsync("3");
        await Expect(invalid.Nth(1).Locator("td").First).ToHaveTextAsync("5");
        await Expect(invalid.Nth(0)).ToContainTextAsync("not-an-email");
        await Expect(invalid.Nth(1)).ToContainTextAsync("missing email", new() { IgnoreCase = true });
        await Expect(page.GetByTestId("result-import")).ToContainTextAsync("Imported");
        await session.ScreenshotAsync("contacts-import-completed");
    }

    [Fact]
    public async Task JourneyFromTranscript_FromTheNewJobForm_ShowsTheJourneyStageByStage()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        // Arrange: the form for journey.from-transcript, with a transcript that has a complaint in it.
        await page.GotoAsync("/jobs/new?type=journey.from-transcript");
        await Expect(page.GetByTestId("new-job-type")).ToHaveValueAsync("Journey from transcript");
        await page.GetByTestId("field-transcript").FillAsync(
            "Thanks for calling, how did you hear about us? A friend recommended you, and then I saw an ad on social media. " +
            "Setting up my account was confusing and the tutorial kept crashing. Support answered quickly and fixed it, so now I use it every day.");

        // Act
        await page.GetByTestId("submit-job").ClickAsync();

        // Assert: the job completes (the simulated model takes ~4 s) and shows the journey, not only its JSON.
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        var journey = page.GetByTestId("journey-view");
        await Expect(journey).ToBeVisibleAsync();
        await Expect(journey.GetByTestId("result-source")).ToHaveTextAsync("simulated");
        await Expect(journey.GetByTestId("journey-stage").First).ToBeVisibleAsync();
        (await journey.GetByTestId("journey-stage").CountAsync()).ShouldBeGreaterThan(0);
        await Expect(page.GetByText("Result JSON")).ToBeVisibleAsync();
        await session.ScreenshotAsync("journey-completed");
    }

    [Fact]
    public async Task JourneyFromDiagram_PicksAPngFile_UploadsIt_AndShowsTheJourney()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var run = Guid.NewGuid().ToString("N")[..8];
        var pngPath = Path.Combine(Path.GetTempPath(), $"e2e-diagram-{run}.png");
        var textPath = Path.Combine(Path.GetTempPath(), $"e2e-diagram-{run}.txt");
        await File.WriteAllBytesAsync(pngPath, OnePixelPng);
        await File.WriteAllTextAsync(textPath, "not an image");
        try
        {
            // Arrange: the form for journey.from-diagram, whose uploadId is a file picker.
            await page.GotoAsync("/jobs/new?type=journey.from-diagram");
            await Expect(page.GetByTestId("new-job-type")).ToHaveValueAsync("Journey from diagram");
            var field = page.GetByTestId("field-uploadId");
            // MudFileUpload hides the used input after each pick and adds a fresh one.
            var picker = field.Locator("input[type=file]:not(.d-none)");
            (await picker.GetAttributeAsync("accept")).ShouldBe("image/png,image/jpeg");
            // The inline base64 property is for API clients; the form offers the picker only.
            await Expect(page.GetByTestId("field-imageBase64")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("field-prompt")).ToBeVisibleAsync();

            // A text file is refused before it is uploaded, with the reason on the field.
            await picker.SetInputFilesAsync(textPath);
            await Expect(page.GetByTestId("field-uploadId-help")).ToContainTextAsync("is not a PNG or JPEG file");
            await Expect(page.GetByTestId("field-uploadId-file")).ToHaveCountAsync(0);
            // The used input is hidden and a fresh one added in a later render: pick with the fresh one, not the used one.
            await Expect(field.Locator("input[type=file]")).ToHaveCountAsync(2);

            // Act: pick the PNG; it is uploaded at once and shows its name and size; then submit.
            await picker.SetInputFilesAsync(pngPath);
            await Expect(page.GetByTestId("field-uploadId-file")).ToContainTextAsync($"e2e-diagram-{run}.png · {OnePixelPng.Length} B", new() { Timeout = 15_000 });
            var uploadId = await field.GetAttributeAsync("data-upload-id");
            Guid.TryParse(uploadId, out _).ShouldBeTrue(uploadId);
            await session.ScreenshotAsync("new-job-diagram-picked", fullPage: false);
            await page.GetByTestId("submit-job").ClickAsync();
        }
        finally
        {
            File.Delete(pngPath);
            File.Delete(textPath);
        }

        // Assert: the job was given the upload's id, ran on the simulated model, and shows the journey.
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("job-payload")).ToContainTextAsync("\"uploadId\"");
        await Expect(page.GetByTestId("job-stage")).ToHaveTextAsync("Completed");
        var journey = page.GetByTestId("journey-view");
        await Expect(journey).ToBeVisibleAsync();
        await Expect(journey.GetByTestId("result-source")).ToHaveTextAsync("simulated");
        (await journey.GetByTestId("journey-stage").CountAsync()).ShouldBeGreaterThan(0);
        await session.ScreenshotAsync("journey-from-diagram-completed");
    }

    [Fact]
    public async Task ContactsPage_DeletesTwoSelectedContacts_AndTheListDropsThem_WithoutAReload()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var rows = page.GetByTestId("contact-row");

        // Arrange: two contacts selected, from the middle of the first page (other tests act on the first rows).
        await page.GotoAsync("/contacts");
        await Expect(rows.Nth(20)).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.__noReload = true");
        var doomed = new List<(string Id, string Email)>();
        foreach (var i in new[] { 10, 11 })
        {
            doomed.Add(((await rows.Nth(i).GetAttributeAsync("data-contact-id"))!, await rows.Nth(i).Locator("td[data-label=Email]").InnerTextAsync()));
            await rows.Nth(i).GetByTestId("contact-select").ClickAsync();
            await Expect(rows.Nth(i)).ToHaveAttributeAsync("data-selected", "true");
        }

        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync("2 selected");

        // Act: delete them, confirming in the dialog.
        await page.GetByTestId("contacts-delete").ClickAsync();
        await page.GetByTestId("delete-confirm").ClickAsync();

        // Assert: the page stays usable while the job runs, then refreshes itself when it completes.
        await Expect(ToastOf(page, "Deleting contacts|Contact deletion")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync("Select contacts for bulk actions");
        var notice = page.GetByTestId("contacts-refreshed");
        await Expect(notice).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Expect(notice).ToContainTextAsync("Deleting 2 contacts finished");
        foreach (var (id, _) in doomed)
        {
            await Expect(page.Locator($"[data-testid=contact-row][data-contact-id='{id}']")).ToHaveCountAsync(0);
        }

        await Expect(rows.Nth(20)).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("() => window.__noReload === true")).ShouldBeTrue("the page reloaded");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await session.ScreenshotAsync("contacts-deleted-refreshed", fullPage: false);

        // The API agrees: they are gone.
        var api = await topology.ApiAsync(Topology.DemoEmail);
        foreach (var (id, email) in doomed)
        {
            (await api.SearchContactsAsync(email.Trim())).ShouldNotContain(Guid.Parse(id), email);
        }
    }

    /// <summary>The toast of the job this test started, by the words of its type (one job of each type per test).</summary>
    private static ILocator ToastOf(IPage page, string pattern) =>
        page.GetByTestId("job-toast").Filter(new() { HasTextRegex = new Regex(pattern) });

    /// <summary>A real 1×1 PNG (signature, IHDR, IDAT, IEND): the worker checks the signature.</summary>
    private static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
}
