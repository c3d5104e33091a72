using System.Net;
using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>An admin makes a key, sees it once, and revokes it; the API stops taking it at once.</summary>
public sealed class ApiKeysPageTests(Topology topology)
{
    [Fact]
    public async Task AnAdmin_CreatesAKey_SeesItOnce_ThenOnlyItsPrefix_AndRevokingItMakesTheApiAnswer401()
    {
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = admin.Page;
        var name = $"e2e-key-{Guid.NewGuid():N}"[..20];

        await page.GetByTestId("nav-keys").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/settings/keys$"));
        await page.GetByTestId("key-name").FillAsync(name);
        await page.GetByTestId("key-create").ClickAsync();

        await Expect(page.GetByTestId("created-key-warning")).ToContainTextAsync("will not be shown again");
        var key = await page.GetByTestId("created-key").InputValueAsync();
        Assert.False(string.IsNullOrWhiteSpace(key));
        await admin.ScreenshotAsync("api-key-created");
        await page.GetByTestId("created-key-done").ClickAsync();

        var row = page.Locator("[data-testid=key-row]").Filter(new() { Has = page.GetByTestId("key-row-name").GetByText(name, new() { Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        var shown = (await row.GetByTestId("key-row-prefix").InnerTextAsync()).Trim();
        Assert.EndsWith("…", shown);
        Assert.StartsWith(shown.TrimEnd('…'), key, StringComparison.Ordinal);
        Assert.True(shown.Length < key.Length, $"The list shows '{shown}', which is not shorter than the key.");
        // Once the dialog is closed the plain key is nowhere on the page.
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        using var program = new HttpClient { BaseAddress = topology.ApiUrl };
        program.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await program.GetAsync("/api/jobs?limit=1")).StatusCode);

        await row.GetByTestId("key-revoke").ClickAsync();
        await page.GetByTestId("key-revoke-confirm").ClickAsync();

        await Expect(row).ToHaveAttributeAsync("data-revoked", "true");
        await Expect(row.GetByTestId("key-row-status")).ToContainTextAsync("revoked");
        await Expect(row.GetByTestId("key-revoke")).ToHaveCountAsync(0);
        await admin.ScreenshotAsync("api-key-revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await program.GetAsync("/api/jobs?limit=1")).StatusCode);
    }

    [Fact]
    public async Task AKeyWithoutAName_IsNotCreated_AndTheFieldSaysWhy()
    {
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        await admin.Page.GotoAsync("/settings/keys");
        await Expect(admin.Page.GetByTestId("key-create")).ToBeVisibleAsync();
        // The list loads after the form shows; the workspace's seeded key is always in it, so wait for a row first.
        await Expect(admin.Page.GetByTestId("key-row").First).ToBeVisibleAsync();
        var before = await admin.Page.GetByTestId("key-row").CountAsync();

        await admin.Page.GetByTestId("key-name").FillAsync("   ");
        await admin.Page.GetByTestId("key-create").ClickAsync();

        await Expect(admin.Page.Locator(".mud-input-control").Filter(new() { Has = admin.Page.GetByTestId("key-name") }))
            .ToContainTextAsync("Is required.");
        await Expect(admin.Page.GetByTestId("created-key")).ToHaveCountAsync(0);
        await Expect(admin.Page.GetByTestId("key-row")).ToHaveCountAsync(before);
    }
}
