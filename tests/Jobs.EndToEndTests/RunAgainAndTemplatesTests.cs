using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// A job is started again from its page with its payload and options, edited before it goes; a form is saved as a
/// template, a new form is filled from it with the picker, and the template is deleted.
/// </summary>
public sealed class RunAgainAndTemplatesTests(Topology topology)
{
    [Fact]
    public async Task Run_again_opens_the_form_filled_in_with_the_jobs_payload_and_options()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var api = await topology.ApiAsync(Topology.DemoEmail);

        // Arrange: a job with a priority of its own, submitted from the form.
        await page.GotoAsync("/jobs/new?type=demo");
        await page.GetByTestId("field-items").FillAsync("4");
        await page.GetByTestId("new-job-options").ClickAsync();
        await page.GetByTestId("new-job-priority").FillAsync("9");
        await page.GetByTestId("submit-job").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        var first = Guid.Parse(page.Url[^36..]);
        (await api.GetJobAsync(first)).GetProperty("priority").GetInt32().ShouldBe(9);

        // Act: run it again with one more item.
        await page.GetByTestId("job-run-again").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/jobs/new\\?from={first}$"));
        await Expect(page.GetByTestId("field-items")).ToHaveValueAsync("4");
        await Expect(page.GetByTestId("new-job-priority")).ToHaveValueAsync("9");
        await Expect(page.GetByTestId("new-job-origin")).ToContainTextAsync("Filled in from job");
        await session.ScreenshotAsync("run-again");
        await page.GetByTestId("field-items").FillAsync("5");
        await page.GetByTestId("submit-job").ClickAsync();

        // Assert: a new job, with the edit and the option kept.
        await Expect(page).Not.ToHaveURLAsync(new Regex($"/jobs/(new|{first})"));
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        var again = await api.GetJobAsync(Guid.Parse(page.Url[^36..]));
        (again.GetProperty("type").GetString(), again.GetProperty("priority").GetInt32()).ShouldBe(("demo", 9));
        again.GetProperty("payload").GetProperty("items").GetInt32().ShouldBe(5);
    }

    [Fact]
    public async Task A_form_saved_as_a_template_fills_a_new_form_and_the_template_can_be_deleted()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var name = $"e2e template {Guid.NewGuid():N}"[..22];

        // Arrange: save the form as a template.
        await page.GotoAsync("/jobs/new?type=demo");
        await page.GetByTestId("field-items").FillAsync("6");
        await page.GetByTestId("template-save-open").ClickAsync();
        await page.GetByTestId("template-name").FillAsync(name);
        await session.ScreenshotAsync("template-save");
        await page.GetByTestId("template-save").ClickAsync();
        await Expect(page.GetByText($"Saved as template “{name}”.")).ToBeVisibleAsync();

        // A second one by the same name is refused on the name field.
        await page.GetByTestId("template-save-open").ClickAsync();
        await page.GetByTestId("template-name").FillAsync(name);
        await page.GetByTestId("template-save").ClickAsync();
        await Expect(page.GetByText("already has a template named")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");

        // Act: a fresh form, filled from the template with the picker.
        await page.GotoAsync("/jobs/new?type=demo");
        await Expect(page.GetByTestId("field-items")).Not.ToHaveValueAsync("6");
        await page.GetByTestId("new-job-template").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex($"^{Regex.Escape(name)}") }).ClickAsync();
        await Expect(page.GetByTestId("field-items")).ToHaveValueAsync("6");
        await Expect(page.GetByTestId("new-job-origin")).ToContainTextAsync($"From template “{name}”");
        await session.ScreenshotAsync("template-picked");

        // Assert: deleting it takes it off the picker.
        await page.GetByTestId("template-delete").ClickAsync();
        await Expect(page.GetByText($"Deleted template “{name}”.")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByTestId("submit-job")).ToBeVisibleAsync();
        if (await page.GetByTestId("new-job-template").CountAsync() > 0)
        {
            await page.GetByTestId("new-job-template").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex($"^{Regex.Escape(name)}") })).ToHaveCountAsync(0);
        }
    }
}
