using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// An admin adds a webhook endpoint, sees its signing secret once, follows a job's delivery in the log and redelivers
/// it, rotates the secret, disables the endpoint (the reason shows) and deletes it.
/// </summary>
public sealed class WebhooksPageTests(Topology topology)
{
    [Fact]
    public async Task AnAdmin_AddsAnEndpoint_SeesTheSecretOnce_ReadsTheDeliveryLog_Rotates_Disables_AndDeletesIt()
    {
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var page = admin.Page;
        // Nothing listens on the discard port: every attempt fails at once, which the log must show.
        var url = $"http://127.0.0.1:9/e2e-{Guid.NewGuid():N}";

        await page.GetByTestId("nav-webhooks").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/settings/webhooks$"));
        await page.GetByTestId("webhook-add").ClickAsync();
        await page.GetByTestId("webhook-url").FillAsync("ftp://example.com/in");
        await page.GetByTestId("webhook-save").ClickAsync();
        await Expect(page.Locator(".mud-input-control").Filter(new() { Has = page.GetByTestId("webhook-url") })).ToContainTextAsync("Must use http or https");

        await page.GetByTestId("webhook-url").FillAsync(url);
        await page.GetByTestId("webhook-description").FillAsync("e2e receiver");
        await page.GetByTestId("webhook-save").ClickAsync();
        await Expect(page.GetByTestId("webhook-secret-warning")).ToContainTextAsync("you will not see it again");
        var secret = await page.GetByTestId("webhook-secret").InputValueAsync();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await admin.ScreenshotAsync("webhook-created");
        await page.GetByTestId("webhook-secret-done").ClickAsync();

        var row = page.Locator("[data-testid=webhook-row]").Filter(new() { Has = page.GetByTestId("webhook-row-url").GetByText(url, new() { Exact = true }) });
        await Expect(row).ToHaveAttributeAsync("data-enabled", "true");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // The topology's API client is shared by every test of the run: not disposed here.
        var api = await topology.ApiAsync(Topology.DemoEmail);
        await api.WaitForTerminalAsync(await api.SubmitDemoJobAsync(items: 1, delayMs: 0));
        await row.GetByTestId("webhook-row-url").ClickAsync();
        await Expect(page.GetByTestId("webhook-title")).ToHaveTextAsync(url);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await page.GetByTestId("delivery-attempt").CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        await Expect(page.GetByTestId("delivery-row").First).ToHaveAttributeAsync("data-status", "pending");
        await Expect(page.GetByTestId("delivery-attempt").First).ToContainTextAsync("no answer");
        await admin.ScreenshotAsync("webhook-deliveries");
        await page.GetByTestId("delivery-redeliver").First.ClickAsync();
        // Other toasts (the job's own) may be on screen too.
        await Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "same webhook-id" })).ToBeVisibleAsync();

        await page.GotoAsync("/settings/webhooks");
        await row.GetByTestId("webhook-rotate").ClickAsync();
        await Expect(page.GetByTestId("webhook-secret-warning")).ToBeVisibleAsync();
        Assert.NotEqual(secret, await page.GetByTestId("webhook-secret").InputValueAsync());
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("old secret keeps signing");
        await page.GetByTestId("webhook-secret-done").ClickAsync();

        await row.GetByTestId("webhook-edit").ClickAsync();
        await page.GetByTestId("webhook-enabled").ClickAsync();
        await page.GetByTestId("webhook-save").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-enabled", "false");
        await Expect(row.GetByTestId("webhook-row-reason")).ToHaveTextAsync("Disabled by an admin.");
        await admin.ScreenshotAsync("webhook-disabled");

        await row.GetByTestId("webhook-delete").ClickAsync();
        await page.GetByTestId("webhook-delete-confirm").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
    }
}
