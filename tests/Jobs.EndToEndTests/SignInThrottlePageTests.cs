using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// Failed sign-ins through the web are counted per browser (the web forwards its address to the API), a throttled
/// browser is told how long to wait, and a browser that signed in before keeps signing in while the email's budget is
/// spent elsewhere (its device cookie). Each test invites its own user.
/// </summary>
public sealed class SignInThrottlePageTests(Topology topology)
{
    private const string Password = "throttled member's passphrase";
    private const string Throttled = "Too many attempts: try again in 15 minutes.";

    [Fact]
    public async Task FailedSignIns_AreCountedPerBrowserAddress_AndTheThrottledBrowserIsToldHowLongToWait()
    {
        var email = await JoinAsync();
        await using var attacker = await BrowserSession.OpenAsync(topology, address: "203.0.113.50");
        await FailAsync(attacker, email, 5);

        await attacker.SignInAsync(email, Password);

        await Expect(attacker.Page.GetByTestId("signin-error")).ToHaveTextAsync(Throttled);
        await attacker.ScreenshotAsync("signin-throttled");
        // Another browser, at another address, is not held back: the web does not count everyone as itself.
        await using var other = await BrowserSession.OpenAsync(topology, address: "203.0.113.51");
        await other.SignInAsync(email, Password);
        await Expect(other.Page).ToHaveURLAsync(new Regex("/jobs$"));
    }

    [Fact]
    public async Task ABrowserThatSignedInBefore_SignsIn_WhileTheEmailsBudgetIsSpentElsewhere()
    {
        var email = await JoinAsync();
        await using var owner = await BrowserSession.OpenAsync(topology, address: "198.51.100.60");
        await owner.SignInAsync(email, Password);
        await Expect(owner.Page).ToHaveURLAsync(new Regex("/jobs$"));
        var device = (await owner.Page.Context.CookiesAsync()).Single(c => c.Name == "jobs.device");
        device.HttpOnly.ShouldBeTrue();
        device.SameSite.ShouldBe(SameSiteAttribute.Lax);
        device.Path.ShouldBe("/signin");
        DateTimeOffset.FromUnixTimeSeconds((long)device.Expires).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(170));
        await owner.Page.GetByTestId("signout").ClickAsync();
        await Expect(owner.Page).ToHaveURLAsync(new Regex("/signin\\?signedOut=true$"));

        // An attacker spends the email's budget from two addresses of their own.
        await using (var first = await BrowserSession.OpenAsync(topology, address: "203.0.113.60"))
        {
            await FailAsync(first, email, 5);
        }

        await using var second = await BrowserSession.OpenAsync(topology, address: "203.0.113.61");
        await FailAsync(second, email, Topology.SignInFailuresPerAccount - 5);
        await second.SignInAsync(email, Password);
        await Expect(second.Page.GetByTestId("signin-error")).ToHaveTextAsync(Throttled);
        // A browser the email never signed in on is held back, even at the owner's address.
        await using var newBrowser = await BrowserSession.OpenAsync(topology, address: "198.51.100.60");
        await newBrowser.SignInAsync(email, Password);
        await Expect(newBrowser.Page.GetByTestId("signin-error")).ToHaveTextAsync(Throttled);

        await owner.SignInAsync(email, Password);

        await Expect(owner.Page).ToHaveURLAsync(new Regex("/jobs$"));
    }

    private static async Task FailAsync(BrowserSession session, string email, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await session.SignInAsync(email, $"wrong guess {i}");
            await Expect(session.Page.GetByTestId("signin-error")).ToContainTextAsync("email or the password is wrong");
        }
    }

    /// <summary>A new member of the demo workspace, invited and accepted through the API; their email.</summary>
    private async Task<string> JoinAsync()
    {
        var email = $"thr-{Guid.NewGuid():N}"[..18] + "@jobs.local";
        var invitation = await (await topology.ApiAsync(Topology.DemoEmail)).PostJsonAsync("/api/users/invitations", new { email, role = "member" });
        using var http = new HttpClient { BaseAddress = topology.ApiUrl };
        using var response = await http.PostAsJsonAsync("/api/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), displayName = "Throttled Member", password = Password });
        response.EnsureSuccessStatusCode();
        return email;
    }
}
