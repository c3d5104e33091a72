using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// The new-job form never submits what the user did not mean: what is typed stays as typed, a field showing an error
/// blocks Submit, long text keeps its line breaks, lists are chips, and a job that deletes asks first.
/// </summary>
public sealed class NewJobTests(Topology topology)
{
    [Fact]
    public async Task TheForm_OpensOnASafeType_AndANumberTypedWrong_ShowsAnError_BlocksSubmit_AndIsNeverRewritten()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        // Arrange: the form as it opens, with no type asked for.
        await page.GotoAsync("/jobs/new");
        await Expect(page.GetByTestId("submit-job")).ToBeVisibleAsync();
        (await page.GetByTestId("new-job-type").GetAttributeAsync("data-type")).ShouldNotBe("contacts.delete");
        await Expect(page.GetByTestId("new-job-destructive")).ToHaveCountAsync(0);

        await page.GotoAsync("/jobs/new?type=demo");
        var items = page.GetByTestId("field-items");
        var delay = page.GetByTestId("field-delayMs");
        var itemsField = FieldOf(page, "field-items");
        // The demo type's crash switch is test support: the API takes it, the form does not offer it.
        await Expect(page.GetByTestId("field-crashAfterItems")).ToHaveCountAsync(0);

        // Act and assert: each wrong number stays as typed, says why, and Submit cannot send it.
        await items.FillAsync("12abc");
        await Expect(itemsField).ToContainTextAsync("Enter a whole number in digits, such as 12.");
        await Expect(items).ToHaveValueAsync("12abc");
        await Expect(page.GetByTestId("submit-job")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("submit-blocked")).ToContainTextAsync("Correct the fields marked in red");

        await items.FillAsync("20");
        await delay.FillAsync("1e3");
        await delay.PressAsync("Tab");
        await Expect(FieldOf(page, "field-delayMs")).ToContainTextAsync("Enter a whole number in digits");
        await Expect(delay).ToHaveValueAsync("1e3");

        await delay.FillAsync("0");
        await items.FillAsync("200000");
        await Expect(itemsField).ToContainTextAsync("Must be at most 100,000.");
        await Expect(items).ToHaveValueAsync("200000");
        await Expect(page.GetByTestId("submit-job")).ToBeDisabledAsync();
        await session.ScreenshotAsync("new-job-number-blocked");
        await page.GetByTestId("submit-job").ClickAsync(new() { Force = true });
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/new\\?type=demo$"));

        // Corrected, it goes, and the API stores exactly what was typed.
        await items.FillAsync("3");
        await Expect(itemsField).Not.ToContainTextAsync("Must be");
        await page.GetByTestId("submit-job").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        var job = await (await topology.ApiAsync(Topology.DemoEmail)).GetJobAsync(Guid.Parse(page.Url[^36..]));
        job.GetProperty("payload").GetProperty("items").GetInt32().ShouldBe(3);
        job.GetProperty("payload").GetProperty("delayMs").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task ATranscript_IsTypedInATextArea_AndKeepsItsLineBreaks_InThePayloadAsStored()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        const string transcript = "Agent: Thanks for calling, how can I help?\nCustomer: My invoice is wrong.\n\nAgent: Let me fix that.\r\nCustomer: Thanks!";

        // Arrange
        await page.GotoAsync("/jobs/new?type=journey.from-transcript");
        var field = page.GetByTestId("field-transcript");
        (await field.EvaluateAsync<string>("e => e.tagName")).ShouldBe("TEXTAREA");

        // Act
        await field.FillAsync(transcript);
        await session.ScreenshotAsync("new-job-transcript");
        await page.GetByTestId("submit-job").ClickAsync();

        // Assert: every line break arrives (a browser's text area reads CR LF as LF, as any form post does).
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        var job = await (await topology.ApiAsync(Topology.DemoEmail)).GetJobAsync(Guid.Parse(page.Url[^36..]));
        job.GetProperty("payload").GetProperty("transcript").GetString().ShouldBe(transcript.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task TagsAndIds_AreChips_ABadIdIsRefusedInWords_AndADeleteJob_AsksForConfirmationFirst()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        // Tags: each added with Enter or a comma, shown as a chip; the same tag twice is said, not dropped.
        await page.GotoAsync("/jobs/new?type=contacts.tag");
        var tags = page.GetByTestId("field-tags");
        await tags.FillAsync("vip, spring-2025");
        await tags.PressAsync("Enter");
        await Expect(page.GetByTestId("field-tags-item")).ToHaveTextAsync(["vip", "spring-2025"]);
        await tags.FillAsync("vip");
        await tags.PressAsync("Enter");
        await Expect(FieldOf(page, "field-tags")).ToContainTextAsync("“vip” is in the list already.");
        await Expect(tags).ToHaveValueAsync("vip");
        await tags.FillAsync("");

        // Ids: pasted on lines of their own; one that is no id is refused in words, not with a regular expression.
        // Ids no workspace has: the delete below deletes nothing, whatever the other tests do with the contacts.
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        await page.GotoAsync("/jobs/new?type=contacts.delete");
        await Expect(page.GetByTestId("new-job-destructive")).ToContainTextAsync("deletes data for good");
        var contactIds = page.GetByTestId("field-contactIds");
        await contactIds.FillAsync($"{ids[0]}\nnot-an-id\n{ids[1]}\n");
        var idsField = FieldOf(page, "field-contactIds");
        await Expect(idsField).ToContainTextAsync("“not-an-id” must be an id");
        await Expect(idsField).Not.ToContainTextAsync("[0-9a-f");
        await Expect(page.GetByTestId("field-contactIds-item")).ToHaveTextAsync([ids[0].ToString(), ids[1].ToString()]);
        await Expect(page.GetByTestId("submit-job")).ToBeDisabledAsync();
        await contactIds.FillAsync("");
        await session.ScreenshotAsync("new-job-delete-chips", fullPage: false);

        // Act: submit, then cancel the confirmation; then submit and confirm.
        await page.GetByTestId("submit-job").ClickAsync();
        await Expect(page.GetByTestId("confirm-text")).ToContainTextAsync("Contact ids: 2.");
        await session.ScreenshotAsync("new-job-delete-confirm", fullPage: false);
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Expect(page.GetByTestId("confirm-text")).ToHaveCountAsync(0);
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/new\\?type=contacts.delete$"));

        await page.GetByTestId("submit-job").ClickAsync();
        await page.GetByTestId("confirm-submit").ClickAsync();

        // Assert: one job, with the two ids as they were pasted.
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        var job = await (await topology.ApiAsync(Topology.DemoEmail)).GetJobAsync(Guid.Parse(page.Url[^36..]));
        job.GetProperty("payload").GetProperty("contactIds").EnumerateArray().Select(i => i.GetGuid()).ShouldBe(ids);
    }

    private static ILocator FieldOf(IPage page, string testId) =>
        page.Locator(".mud-input-control", new() { Has = page.GetByTestId(testId) });
}
