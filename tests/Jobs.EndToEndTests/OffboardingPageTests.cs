using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// Taking access away from the users page and the account page: removing a member, ending their sessions, a reset
/// link, cancelling an invitation, and changing one's own password. Each test invites its own users.
/// </summary>
public sealed class OffboardingPageTests(Topology topology)
{
    private const string MemberPassword = "member's first passphrase";

    [Fact]
    public async Task AnAdmin_RemovesAMember_WhoseOpenPageGoesToSignIn_AndTheActivitySaysWhoDidIt()
    {
        var email = await JoinAsync(Topology.DemoEmail, "member");
        await using var member = await SignInAsync(email, MemberPassword);
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        await admin.Page.GotoAsync("/settings/users");
        var row = admin.Page.Locator($"[data-testid=user-row][data-email='{email}']");

        await row.GetByTestId("user-remove").ClickAsync();
        await Expect(admin.Page.GetByTestId("user-remove-consequences")).ToContainTextAsync("sessions end");
        await admin.ScreenshotAsync("users-remove-dialog", fullPage: false);
        await admin.Page.GetByTestId("user-remove-confirm").ClickAsync();

        await Expect(row).ToHaveCountAsync(0);
        var latest = admin.Page.GetByTestId("audit-row").First;
        await Expect(latest).ToHaveAttributeAsync("data-action", "user.removed");
        await Expect(latest).ToContainTextAsync($"{Topology.DemoEmail} removed {email}");
        await admin.ScreenshotAsync("users-activity");
        // The member's open page notices within its session check (2 s here) and goes to sign-in.
        await Expect(member.Page).ToHaveURLAsync(new Regex("/signin\\?.*expired=true"), new() { Timeout = 15_000 });
        await member.SignInAsync(email, MemberPassword);
        await Expect(member.Page.GetByTestId("signin-error")).ToContainTextAsync("email or the password is wrong");
    }

    [Fact]
    public async Task AnAdmin_EndsAMembersSessions_ThenMakesAResetLink_ThatSetsANewPassword()
    {
        var email = await JoinAsync(Topology.AcmeEmail, "member");
        await using var member = await SignInAsync(email, MemberPassword);
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.AcmeEmail);
        await admin.Page.GotoAsync("/settings/users");
        var row = admin.Page.Locator($"[data-testid=user-row][data-email='{email}']");

        await row.GetByTestId("user-sessions").ClickAsync();
        await Expect(admin.Page.GetByTestId("session-row")).ToHaveCountAsync(2);
        await admin.ScreenshotAsync("users-sessions-dialog", fullPage: false);
        await admin.Page.GetByTestId("sessions-end-all").ClickAsync();
        await Expect(admin.Page.GetByTestId("user-sessions-empty")).ToBeVisibleAsync();
        await admin.Page.GetByTestId("sessions-close").ClickAsync();
        await Expect(member.Page).ToHaveURLAsync(new Regex("/signin\\?.*expired=true"), new() { Timeout = 15_000 });

        await row.GetByTestId("user-reset-password").ClickAsync();
        await admin.Page.GetByTestId("user-reset-confirm").ClickAsync();
        var link = await admin.Page.GetByTestId("reset-link").InputValueAsync();
        Assert.StartsWith(topology.WebUrl.ToString().TrimEnd('/') + "/reset-password?token=", link, StringComparison.Ordinal);
        await admin.ScreenshotAsync("users-reset-link", fullPage: false);

        await member.Page.GotoAsync(link);
        await member.Page.GetByTestId("reset-password").FillAsync("iloveyou");
        await member.Page.GetByTestId("reset-submit").ClickAsync();
        await Expect(member.Page.Locator(".mud-input-control").Filter(new() { Has = member.Page.GetByTestId("reset-password") }))
            .ToContainTextAsync("10 to 1000 characters");
        await member.Page.GetByTestId("reset-password").FillAsync("a passphrase set by reset");
        await member.ScreenshotAsync("reset-password");
        await member.Page.GetByTestId("reset-submit").ClickAsync();
        await Expect(member.Page).ToHaveURLAsync(new Regex("/jobs$"));
        await Expect(member.Page.GetByTestId("workspace-name")).ToContainTextAsync("· acme");

        await member.Page.GotoAsync(link);
        await member.Page.GetByTestId("reset-password").FillAsync("yet another passphrase");
        await member.Page.GetByTestId("reset-submit").ClickAsync();
        await Expect(member.Page.GetByTestId("reset-error")).ToContainTextAsync("not valid");
    }

    [Fact]
    public async Task CancellingAnInvitation_FromTheUsersPage_RetiresItsLink()
    {
        var email = $"cancel-{Guid.NewGuid():N}"[..20] + "@jobs.local";
        await using var admin = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        await admin.Page.GotoAsync("/settings/users");
        await admin.Page.GetByTestId("invite-email").FillAsync(email);
        await admin.Page.GetByTestId("invite-create").ClickAsync();
        var link = await admin.Page.GetByTestId("invite-link").InputValueAsync();
        var row = admin.Page.Locator($"[data-testid=user-row][data-email='{email}']");

        await row.GetByTestId("user-cancel-invitation").ClickAsync();
        await admin.Page.GetByTestId("user-remove-confirm").ClickAsync();

        await Expect(row).ToHaveCountAsync(0);
        await Expect(admin.Page.GetByTestId("audit-row").First).ToHaveAttributeAsync("data-action", "invitation.cancelled");
        await using var invitee = await BrowserSession.OpenAsync(topology);
        await invitee.Page.GotoAsync(link);
        await invitee.Page.GetByTestId("invite-display-name").FillAsync("Too Late");
        await invitee.Page.GetByTestId("invite-password").FillAsync("a-long-enough-password");
        await invitee.Page.GetByTestId("invite-submit").ClickAsync();
        await Expect(invitee.Page.GetByTestId("invite-error")).ToContainTextAsync("not valid");
    }

    [Fact]
    public async Task ChangingYourPassword_OnTheAccountPage_KeepsThisBrowser_AndSignsTheOthersOut()
    {
        var email = await JoinAsync(Topology.DemoEmail, "member");
        await using var here = await SignInAsync(email, MemberPassword);
        await using var elsewhere = await SignInAsync(email, MemberPassword);
        await here.Page.GetByTestId("account-menu-toggle").ClickAsync();
        await here.Page.GetByTestId("nav-account").ClickAsync();
        await Expect(here.Page).ToHaveURLAsync(new Regex("/account$"));

        await here.Page.GetByTestId("current-password").FillAsync("not my password at all");
        await here.Page.GetByTestId("new-password").FillAsync("my second passphrase");
        await here.Page.GetByTestId("repeat-password").FillAsync("my second passphrase");
        await here.Page.GetByTestId("change-password").ClickAsync();
        await Expect(here.Page.Locator(".mud-input-control").Filter(new() { Has = here.Page.GetByTestId("current-password") }))
            .ToContainTextAsync("Is not your current password.");
        await here.Page.GetByTestId("current-password").FillAsync(MemberPassword);
        await here.Page.GetByTestId("change-password").ClickAsync();

        await Expect(here.Page.GetByTestId("password-changed")).ToContainTextAsync("other sessions have ended");
        await here.ScreenshotAsync("account-password-changed");
        await Expect(elsewhere.Page).ToHaveURLAsync(new Regex("/signin\\?.*expired=true"), new() { Timeout = 15_000 });
        await here.Page.GotoAsync("/jobs");
        await Expect(here.Page.GetByTestId("new-job")).ToBeVisibleAsync();
        await elsewhere.SignInAsync(email, "my second passphrase");
        await Expect(elsewhere.Page).ToHaveURLAsync(new Regex("/jobs$"));
    }

    /// <summary>A new user of the admin's workspace, invited and accepted through the API; their email.</summary>
    private async Task<string> JoinAsync(string adminEmail, string role)
    {
        var email = $"off-{Guid.NewGuid():N}"[..18] + "@jobs.local";
        var invitation = await (await topology.ApiAsync(adminEmail)).PostJsonAsync("/api/users/invitations", new { email, role });
        using var http = new HttpClient { BaseAddress = topology.ApiUrl };
        using var response = await http.PostAsJsonAsync("/api/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), displayName = "Leaving Soon", password = MemberPassword });
        response.EnsureSuccessStatusCode();
        return email;
    }

    private async Task<BrowserSession> SignInAsync(string email, string password)
    {
        var session = await BrowserSession.OpenAsync(topology);
        await session.SignInAsync(email, password);
        await Expect(session.Page).ToHaveURLAsync(new Regex("/jobs$"));
        await Expect(session.Page.GetByTestId("new-job")).ToBeVisibleAsync();
        return session;
    }
}
