using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// An admin invites a member, who joins through the link and sees no admin pages until the admin promotes
/// them.
/// </summary>
public sealed class UsersPageTests(Topology topology)
{
    [Fact]
    public async Task AnInvitedMember_JoinsThroughTheLink_IsSignedIn_AndGetsAdminsOnlyOnAdminPages()
    {
        var email = $"member-{Guid.NewGuid():N}"[..20] + "@jobs.local";
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        await admin.Page.GetByTestId("nav-users").ClickAsync();
        await Expect(admin.Page).ToHaveURLAsync(new Regex("/settings/users$"));

        await admin.Page.GetByTestId("invite-email").FillAsync(email);
        await admin.Page.GetByTestId("invite-create").ClickAsync();

        var link = await admin.Page.GetByTestId("invite-link").InputValueAsync();
        Assert.StartsWith(topology.WebUrl.ToString().TrimEnd('/') + "/accept-invite?token=", link, StringComparison.Ordinal);
        var row = admin.Page.Locator($"[data-testid=user-row][data-email='{email}']");
        await Expect(row).ToHaveAttributeAsync("data-role", "member");
        await Expect(row.GetByTestId("user-status")).ToContainTextAsync("invitation pending");
        await admin.ScreenshotAsync("users-invited");

        await using var member = await BrowserSession.OpenAsync(topology);
        await member.Page.GotoAsync(link);
        await member.Page.GetByTestId("invite-display-name").FillAsync("Invited Member");
        await member.Page.GetByTestId("invite-password").FillAsync("a-long-enough-password");
        await member.ScreenshotAsync("accept-invite");
        await member.Page.GetByTestId("invite-submit").ClickAsync();

        await Expect(member.Page).ToHaveURLAsync(new Regex("/jobs$"));
        await Expect(member.Page.GetByTestId("workspace-name")).ToContainTextAsync("Invited Member · demo");
        await Expect(member.Page.GetByTestId("nav-limits")).ToBeVisibleAsync();
        await Expect(member.Page.GetByTestId("nav-keys")).ToHaveCountAsync(0);
        await Expect(member.Page.GetByTestId("nav-users")).ToHaveCountAsync(0);
        await Expect(member.Page.GetByTestId("nav-webhooks")).ToHaveCountAsync(0);

        await member.Page.GotoAsync("/settings/keys");
        await Expect(member.Page.GetByTestId("admins-only")).ToContainTextAsync("Admins only");
        await Expect(member.Page.GetByTestId("key-row")).ToHaveCountAsync(0);
        await member.ScreenshotAsync("member-admins-only");
        await member.Page.GotoAsync("/settings/users");
        await Expect(member.Page.GetByTestId("admins-only")).ToBeVisibleAsync();
        await member.Page.GotoAsync("/settings/webhooks");
        await Expect(member.Page.GetByTestId("admins-only")).ToBeVisibleAsync();
        await Expect(member.Page.GetByTestId("webhook-add")).ToHaveCountAsync(0);
        await member.Page.GotoAsync("/settings/limits");
        await Expect(member.Page.GetByTestId("limits-read-only")).ToBeVisibleAsync();
        await Expect(member.Page.GetByTestId("limits-save")).ToHaveCountAsync(0);

        await admin.Page.ReloadAsync();
        await Expect(row.GetByTestId("user-status")).ToContainTextAsync("active");

        // The admin promotes the member from the page: the member's open page offers the admin pages without a reload
        // or a new sign-in (the web re-checks a session with the API; every 2 s in this topology, 30 s by default).
        await row.GetByTestId("user-role").ClickAsync();
        await admin.Page.GetByRole(AriaRole.Option, new() { Name = "admin", Exact = true }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-role", "admin");
        await member.Page.EvaluateAsync("() => window.__noReload = true");
        await Expect(member.Page.GetByTestId("nav-keys")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        (await member.Page.EvaluateAsync<bool>("() => window.__noReload === true")).ShouldBeTrue("the page reloaded");
        await member.Page.GetByTestId("nav-keys").ClickAsync();
        await Expect(member.Page.GetByTestId("key-create")).ToBeVisibleAsync();
        await Expect(member.Page.GetByTestId("admins-only")).ToHaveCountAsync(0);

        // A fresh page load agrees: the cookie's claims were renewed too.
        await member.Page.ReloadAsync();
        await Expect(member.Page.GetByTestId("nav-users")).ToBeVisibleAsync();
        await Expect(member.Page.GetByTestId("admins-only")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnInvitationLink_ShowsThePasswordRuleAtItsField_AndWorksOnce()
    {
        var email = $"once-{Guid.NewGuid():N}"[..18] + "@jobs.local";
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.AcmeEmail);
        await admin.Page.GotoAsync("/settings/users");
        await admin.Page.GetByTestId("invite-email").FillAsync(email);
        await admin.Page.GetByTestId("invite-create").ClickAsync();
        var link = await admin.Page.GetByTestId("invite-link").InputValueAsync();

        await using var first = await BrowserSession.OpenAsync(topology);
        await first.Page.GotoAsync(link);
        await first.Page.GetByTestId("invite-display-name").FillAsync("Once");
        await first.Page.GetByTestId("invite-password").FillAsync("short");
        await first.Page.GetByTestId("invite-submit").ClickAsync();
        await Expect(first.Page.Locator(".mud-input-control").Filter(new() { Has = first.Page.GetByTestId("invite-password") }))
            .ToContainTextAsync("Must be 10 to 1000 characters.");
        await first.ScreenshotAsync("accept-invite-short-password");
        await first.Page.GetByTestId("invite-password").FillAsync("sunshine2024!");
        await first.Page.GetByTestId("invite-submit").ClickAsync();
        await Expect(first.Page.Locator(".mud-input-control").Filter(new() { Has = first.Page.GetByTestId("invite-password") }))
            .ToContainTextAsync("common password with digits or symbols added");
        await first.ScreenshotAsync("accept-invite-common-password");
        await AcceptAsync(first.Page, link);
        await Expect(first.Page).ToHaveURLAsync(new Regex("/jobs$"));

        await using var second = await BrowserSession.OpenAsync(topology);
        await AcceptAsync(second.Page, link);
        await Expect(second.Page.GetByTestId("invite-error")).ToContainTextAsync("not valid");
        await second.Page.GotoAsync("/jobs");
        await Expect(second.Page).ToHaveURLAsync(new Regex("/signin"));
    }

    [Fact]
    public async Task NewLink_ForAPendingInvitee_ReplacesTheOldLink()
    {
        var email = $"again-{Guid.NewGuid():N}"[..19] + "@jobs.local";
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.AcmeEmail);
        await admin.Page.GotoAsync("/settings/users");
        await admin.Page.GetByTestId("invite-email").FillAsync(email);
        await admin.Page.GetByTestId("invite-create").ClickAsync();
        var oldLink = await admin.Page.GetByTestId("invite-link").InputValueAsync();

        // The invitee lost the link: the admin makes a new one from their row.
        var row = admin.Page.Locator($"[data-testid=user-row][data-email='{email}']");
        await row.GetByTestId("user-invite-again").ClickAsync();
        await Expect(admin.Page.GetByTestId("invite-link")).Not.ToHaveValueAsync(oldLink);
        await Expect(admin.Page.GetByTestId("invite-created")).ToContainTextAsync($"Send this link to {email}");
        var newLink = await admin.Page.GetByTestId("invite-link").InputValueAsync();
        await Expect(admin.Page.Locator("[data-testid=user-row]").Filter(new() { HasText = email })).ToHaveCountAsync(1);

        await using var invitee = await BrowserSession.OpenAsync(topology);
        await AcceptAsync(invitee.Page, oldLink);
        await Expect(invitee.Page.GetByTestId("invite-error")).ToContainTextAsync("not valid");
        await AcceptAsync(invitee.Page, newLink);
        await Expect(invitee.Page).ToHaveURLAsync(new Regex("/jobs$"));
        await admin.Page.ReloadAsync();
        await Expect(row.GetByTestId("user-status")).ToContainTextAsync("active");
        await Expect(row.GetByTestId("user-invite-again")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task InvitingAnAddressWithAnAccountInAnotherWorkspace_GivesALink_AsForAnyAddress()
    {
        var email = $"elsewhere-{Guid.NewGuid():N}"[..23] + "@jobs.local";
        var acme = await topology.ApiAsync(Topology.AcmeEmail);
        var theirs = await acme.PostJsonAsync("/api/users/invitations", new { email, role = "admin" });
        using (var http = new HttpClient { BaseAddress = topology.ApiUrl })
        using (var accepted = await http.PostAsJsonAsync("/api/invitations/accept",
            new { token = theirs.GetProperty("invitationToken").GetString(), displayName = "Elsewhere", password = "a-long-enough-password" }))
        {
            accepted.EnsureSuccessStatusCode();
        }

        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        await admin.Page.GotoAsync("/settings/users");
        await admin.Page.GetByTestId("invite-email").FillAsync(email);
        await admin.Page.GetByTestId("invite-create").ClickAsync();

        await Expect(admin.Page.GetByTestId("invite-created")).ToContainTextAsync($"Send this link to {email}");
        await Expect(admin.Page.GetByTestId("invite-create-error")).ToHaveCountAsync(0);
        var row = admin.Page.Locator($"[data-testid=user-row][data-email='{email}']");
        await Expect(row.GetByTestId("user-status")).ToContainTextAsync("invitation pending");
    }

    private static async Task AcceptAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        await page.GetByTestId("invite-display-name").FillAsync("Once");
        await page.GetByTestId("invite-password").FillAsync("a-long-enough-password");
        await page.GetByTestId("invite-submit").ClickAsync();
    }
}
