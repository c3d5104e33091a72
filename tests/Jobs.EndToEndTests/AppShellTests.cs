using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>What every page has: a favicon, and a running-jobs badge that says what it counts.</summary>
public sealed class AppShellTests(Topology topology)
{
    [Fact]
    public async Task EveryPage_HasAFavicon_AndTheRunningBadge_SaysWhatItCounts()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = session.Page;

        var icon = page.Locator("link[rel=icon]");
        var href = await icon.GetAttributeAsync("href");
        href.ShouldNotBeNullOrEmpty();
        var response = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), href).ToString());
        response.Status.ShouldBe(200);
        response.Headers["content-type"].ShouldStartWith("image/svg+xml");

        var link = page.GetByTestId("running-link");
        await Expect(link).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("jobs? running now"));
        await Expect(page.GetByTestId("running-label")).ToHaveTextAsync("Running");
        await link.HoverAsync();
        await Expect(page.Locator(".mud-tooltip", new() { HasText = "running now" })).ToBeVisibleAsync();
        await session.ScreenshotAsync("app-bar-running-tooltip", fullPage: false);
    }
}
