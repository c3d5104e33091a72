using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// One person in two workspaces: invited into demo and into acme, they joined both with one password; signed in once,
/// they switch from the account menu and each workspace shows only its own jobs.
/// </summary>
public sealed class WorkspaceSwitchingPageTests(Topology topology)
{
    [Fact]
    public async Task APersonInTwoWorkspaces_SwitchesFromTheAccountMenu_AndSeesEachWorkspacesOwnJobs()
    {
        var email = $"both-{Guid.NewGuid():N}"[..18] + "@jobs.local";
        const string password = "two workspaces, one passphrase";
        var demo = await topology.ApiAsync(Topology.DemoEmail);
        var acme = await topology.ApiAsync(Topology.AcmeEmail);
        await AcceptAsync(await demo.PostJsonAsync("/api/users/invitations", new { email, role = "member" }), password);
        await AcceptAsync(await acme.PostJsonAsync("/api/users/invitations", new { email, role = "admin" }), password);
        var demoJob = await demo.SubmitDemoJobAsync(items: 1, delayMs: 0);

        await using var session = await BrowserSession.OpenAsync(topology);
        await session.SignInAsync(email, password);

        // Signed in where they were last: acme, which they joined last.
        await Expect(session.Page).ToHaveURLAsync(new Regex("/jobs$"));
        await Expect(session.Page.GetByTestId("workspace-name")).ToContainTextAsync("· acme");
        await Expect(session.Page.GetByTestId("nav-users")).ToBeVisibleAsync();
        await session.Page.GetByTestId("account-menu-toggle").ClickAsync();
        await Expect(session.Page.GetByTestId("workspace-option")).ToHaveCountAsync(2);
        await Expect(session.Page.Locator("[data-testid=workspace-option][data-current=true]")).ToHaveAttributeAsync("data-workspace", "acme");
        await session.ScreenshotAsync("workspace-menu", fullPage: false);

        await session.Page.Locator("[data-testid=workspace-option][data-workspace=demo]").ClickAsync();

        await Expect(session.Page).ToHaveURLAsync(new Regex("/jobs$"));
        await Expect(session.Page.GetByTestId("workspace-name")).ToContainTextAsync("· demo");
        // A member in demo: no admin pages; demo's job opens, which acme's session could not.
        await Expect(session.Page.GetByTestId("nav-users")).ToHaveCountAsync(0);
        await session.Page.GotoAsync($"/jobs/{demoJob}");
        await Expect(session.Page.GetByTestId("job-id")).ToContainTextAsync(demoJob.ToString());
        await session.Page.GotoAsync("/account");
        await Expect(session.Page.GetByTestId("account-workspace")).ToHaveCountAsync(2);
        await session.ScreenshotAsync("account-workspaces");
    }

    private async Task AcceptAsync(JsonElement invitation, string password)
    {
        using var http = new HttpClient { BaseAddress = topology.ApiUrl };
        using var response = await http.PostAsJsonAsync("/api/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), displayName = "Both Places", password });
        response.EnsureSuccessStatusCode();
    }
}
