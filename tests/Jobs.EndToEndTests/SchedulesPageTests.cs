using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// A member makes a schedule that fires every second, sees its jobs appear on the list with the cron in words, pauses
/// it, lists its jobs, opens one that says which schedule made it, renames the schedule and deletes it.
/// </summary>
public sealed class SchedulesPageTests(Topology topology)
{
    [Fact]
    public async Task A_schedule_every_second_makes_jobs_and_can_be_paused_and_deleted()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;
        var name = $"e2e schedule {Guid.NewGuid():N}"[..22];

        await page.GetByTestId("nav-schedules").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/schedules$"));
        await page.GotoAsync("/schedules/new?type=demo");
        await page.GetByTestId("schedule-form-name").FillAsync(name);
        await page.GetByTestId("schedule-form-cron").FillAsync("* * * * * *");
        await page.GetByTestId("field-items").FillAsync("1");
        await Expect(page.Locator(".mud-input-control").Filter(new() { Has = page.GetByTestId("schedule-form-cron") })).ToContainTextAsync("Runs every second.");
        await session.ScreenshotAsync("schedule-form");
        await page.GetByTestId("schedule-save").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/schedules$"));
        var row = page.Locator("[data-testid=schedule-row]").Filter(new() { Has = page.GetByTestId("schedule-name").GetByText(name, new() { Exact = true }) });
        await Expect(row.GetByTestId("schedule-description")).ToHaveTextAsync("every second");
        await Expect(row.GetByTestId("schedule-last-job")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await session.ScreenshotAsync("schedules-list");

        await row.GetByTestId("schedule-pause").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-paused", "true");
        await Expect(row.GetByTestId("schedule-state")).ToContainTextAsync("paused");
        await Expect(row.GetByTestId("schedule-next")).ToHaveTextAsync("—");

        await row.GetByTestId("schedule-jobs").ClickAsync();
        await Expect(page.GetByTestId("filter-schedule")).ToContainTextAsync($"Made by schedule {name}");
        await Expect(page.GetByTestId("job-row").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("schedule-jobs");
        await page.GoBackAsync();

        await row.GetByTestId("schedule-last-job").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("job-schedule")).ToContainTextAsync($"made by schedule {name}");

        // Edit: the form opens with the schedule's values, its payload included; a new name keeps it paused.
        await page.GotoAsync("/schedules");
        await row.GetByTestId("schedule-edit").ClickAsync();
        await Expect(page.GetByTestId("schedule-form-name")).ToHaveValueAsync(name);
        await Expect(page.GetByTestId("schedule-form-cron")).ToHaveValueAsync("* * * * * *");
        await Expect(page.GetByTestId("field-items")).ToHaveValueAsync("1");
        var renamed = name + " v2";
        await page.GetByTestId("schedule-form-name").FillAsync(renamed);
        await page.GetByTestId("schedule-save").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/schedules$"));
        var renamedRow = page.Locator("[data-testid=schedule-row]").Filter(new() { Has = page.GetByTestId("schedule-name").GetByText(renamed, new() { Exact = true }) });
        await Expect(renamedRow).ToHaveAttributeAsync("data-paused", "true");

        await renamedRow.GetByTestId("schedule-delete").ClickAsync();
        await page.GetByTestId("schedule-delete-confirm").ClickAsync();
        await Expect(renamedRow).ToHaveCountAsync(0);
    }
}
