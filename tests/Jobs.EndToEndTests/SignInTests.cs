using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>Cookie sign-in through the static sign-in page, and sign-out.</summary>
public sealed class SignInTests(Topology topology)
{
    [Fact]
    public async Task AnyPage_WithoutACookie_RedirectsToSignIn_AndComesBackAfterSigningIn()
    {
        await using var session = await BrowserSession.OpenAsync(topology);

        await session.Page.GotoAsync("/dashboard");
        await Expect(session.Page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fdashboard$"));
        await session.ScreenshotAsync("signin");
        await session.FillSignInFormAsync(Topology.DemoEmail, topology.Password);

        await Expect(session.Page).ToHaveURLAsync(new Regex("/dashboard$"));
        await Expect(session.Page.GetByTestId("count-completed")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_ShowsAnError_AndSetsNoCookie()
    {
        await using var session = await BrowserSession.OpenAsync(topology);

        await session.SignInAsync(Topology.DemoEmail, "not-the-password");

        await Expect(session.Page.GetByTestId("signin-error")).ToContainTextAsync("email or the password is wrong");
        await Expect(session.Page.GetByTestId("signin-email")).ToHaveValueAsync(Topology.DemoEmail);
        await session.ScreenshotAsync("signin-wrong-password");
        await session.Page.GotoAsync("/jobs");
        await Expect(session.Page).ToHaveURLAsync(new Regex("/signin"));
    }

    [Fact]
    public async Task SignOut_ClearsTheCookie_AndRevokesTheSessionKey()
    {
        await using var session = await BrowserSession.SignInThroughFormAsync(topology, Topology.DemoEmail);
        await Expect(session.Page.GetByTestId("workspace-name")).ToContainTextAsync("demo");
        await session.ScreenshotAsync("jobs-list-signed-in");

        await session.Page.GetByTestId("signout").ClickAsync();

        await Expect(session.Page).ToHaveURLAsync(new Regex("/signin\\?signedOut=true$"));
        await session.Page.GotoAsync("/jobs");
        await Expect(session.Page).ToHaveURLAsync(new Regex("/signin"));
    }

    [Fact]
    public async Task SignedOutInAnotherTab_ThisTab_GoesToSignIn_SayingTheSessionEnded()
    {
        await using var session = await BrowserSession.SignInThroughFormAsync(topology, Topology.DemoEmail);
        var other = await session.Page.Context.NewPageAsync();
        await other.GotoAsync("/jobs");

        // The other tab signs out: the key in this tab's live circuit is revoked with it.
        await other.GetByTestId("signout").ClickAsync();
        await Expect(other).ToHaveURLAsync(new Regex("/signin\\?signedOut=true$"));
        // Either this tab's next API call (opening the dashboard) or its periodic session check (every 2 s here) finds
        // the key revoked first; once the check has sent the tab to sign-in, there is no link left to click.
        await session.Page.EvaluateAsync("() => document.querySelector('a[href=\"/dashboard\"]')?.click()");

        await Expect(session.Page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2F(jobs|dashboard)&expired=true$"));
        await Expect(session.Page.GetByTestId("signin-error")).ToContainTextAsync("session has ended");
        await session.ScreenshotAsync("signin-session-ended");
    }

    [Fact]
    public async Task SignedOutInAnotherTab_AnIdleTab_GoesToSignIn_ByItself()
    {
        await using var session = await BrowserSession.SignInThroughFormAsync(topology, Topology.DemoEmail);
        await session.Page.GotoAsync("/dashboard");
        await Expect(session.Page.GetByTestId("count-completed")).ToBeVisibleAsync();
        var other = await session.Page.Context.NewPageAsync();
        await other.GotoAsync("/jobs");

        await other.GetByTestId("signout").ClickAsync();

        // Nothing done in this tab: its session check notices within its interval (2 s here, 30 s by default).
        await Expect(session.Page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fdashboard&expired=true$"), new() { Timeout = 15_000 });
        await Expect(session.Page.GetByTestId("signin-error")).ToContainTextAsync("session has ended");
    }
}
