using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// The contacts page's selection and counts: cleared everywhere when a job starts, the bulk buttons back for the next
/// one, a total, "select all N matching" within the bulk limit, and long emails that do not break mid-word.
/// </summary>
public sealed class ContactsPageTests(Topology topology)
{
    [Fact]
    public async Task StartingABulkJob_ClearsTheSelection_InTheBarAndInTheList_AndTheButtonsComeBackForTheNextOne()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var rows = page.GetByTestId("contact-row");
        var tag = $"e2e-sel-{Guid.NewGuid():N}"[..16];

        // Arrange: two contacts selected, from further down than other tests reach.
        await page.GotoAsync("/contacts");
        await Expect(rows.Nth(41)).ToBeVisibleAsync();
        foreach (var i in new[] { 40, 41 })
        {
            await rows.Nth(i).GetByTestId("contact-select").ClickAsync();
        }

        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync("2 selected");

        // Act: tag them.
        await page.GetByTestId("contacts-tag").ClickAsync();
        await page.GetByTestId("tag-input").FillAsync(tag);
        await page.GetByTestId("tag-submit").ClickAsync();

        // Assert: the selection is gone from the bar and from the rows at once, not from one of them only.
        await Expect(page.GetByTestId("job-toast").Filter(new() { HasTextRegex = new Regex("Tagging contacts|Contact tagging") })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync("Select contacts for bulk actions");
        await Expect(page.Locator("[data-testid=contact-row][data-selected=true]")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("contact-select").Locator("input:checked")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("contacts-selection-cleared", fullPage: false);

        // When the job has ended, the next selection gets the bulk buttons back.
        await Expect(page.GetByTestId("contacts-refreshed")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await rows.Nth(42).GetByTestId("contact-select").ClickAsync();
        await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync("1 selected");
        await Expect(page.GetByTestId("contacts-tag")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("contacts-subscribe")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("contacts-delete")).ToBeEnabledAsync();
    }

    [Fact]
    public async Task TheTotal_AndSelectAllMatching_FollowTheFilter_WithinTheBulkLimit()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var rows = page.GetByTestId("contact-row");
        var limit = (await api.GetJsonAsync("/api/workspace")).GetProperty("limits").GetProperty("maxBatchItems").GetInt32();

        // The whole workspace: its total, more than one bulk job takes, so that "all" is refused with the reason.
        await page.GotoAsync("/contacts");
        await Expect(rows.First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("contacts-total")).ToBeVisibleAsync();
        // Other tests import and delete a few contacts meanwhile: the page's count and the API's agree within those.
        var all = await ShownTotalAsync(page);
        Math.Abs(all - await TotalAsync(api, "")).ShouldBeLessThanOrEqualTo(4);
        await page.GetByTestId("contacts-select-all").ClickAsync();
        if (all > limit)
        {
            await Expect(page.GetByTestId("contacts-select-matching-limit")).ToContainTextAsync($"one bulk job takes at most {limit:#,##0}");
            await Expect(page.GetByTestId("contacts-select-matching")).ToHaveCountAsync(0);
        }

        await page.GetByTestId("contacts-clear").ClickAsync();

        // A filter: its own total, and all of its contacts selected in one click, beyond the rows loaded.
        await page.GetByTestId("contacts-filter-tag").FillAsync("vip");
        await Expect(page.GetByTestId("contacts-total")).ToContainTextAsync("match these filters");
        await Expect(page.GetByTestId("contacts-loading")).ToHaveCountAsync(0);
        var vip = await ShownTotalAsync(page);
        Math.Abs(vip - await TotalAsync(api, "tag=vip")).ShouldBeLessThanOrEqualTo(4);
        await page.GetByTestId("contacts-select-all").ClickAsync();
        var loaded = await rows.CountAsync();
        if (vip > loaded && vip <= limit)
        {
            await page.GetByTestId("contacts-select-matching").ClickAsync();
            await Expect(page.GetByTestId("contacts-selected")).ToHaveTextAsync($"{vip:#,##0} selected");
            await Expect(page.GetByTestId("contacts-selected-hidden")).ToContainTextAsync($"{vip - loaded:#,##0} not in the list below");
        }

        await session.ScreenshotAsync("contacts-select-all-matching", fullPage: false);
        await page.GetByTestId("contacts-clear").ClickAsync();

        // A long email keeps its words: one line, an ellipsis, the whole address on hover.
        var email = rows.First.GetByTestId("contact-email");
        (await email.GetAttributeAsync("title")).ShouldBe(await email.InnerTextAsync());
        (await email.EvaluateAsync<string>("e => getComputedStyle(e).textOverflow + ' ' + getComputedStyle(e).whiteSpace")).ShouldBe("ellipsis nowrap");
    }

    private static async Task<long> ShownTotalAsync(IPage page) =>
        long.Parse((await page.GetByTestId("contacts-total").GetAttributeAsync("data-total"))!);

    private static async Task<long> TotalAsync(JobsApi api, string query) =>
        (await api.GetJsonAsync($"/api/contacts/ids?limit=0&{query}")).GetProperty("total").GetInt64();
}
