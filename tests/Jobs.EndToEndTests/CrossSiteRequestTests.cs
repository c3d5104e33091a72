using System.Net;
using System.Text.RegularExpressions;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// Every form of the web needs its antiforgery token. A post from another site, even one that carries the
/// user's cookie (an old browser, a lax proxy), is refused with 400 and changes nothing.
/// </summary>
public sealed class CrossSiteRequestTests(Topology topology)
{
    private const string EvilOrigin = "http://evil.example";

    [Fact]
    public async Task SignIn_PostedWithoutTheToken_Is400_AndSetsNoCookie()
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = topology.WebUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["email"] = Topology.DemoEmail,
                ["password"] = topology.Password,
            }),
        };
        request.Headers.Add("Origin", EvilOrigin);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("jobs.session", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignOut_PostedWithTheCookieButWithoutTheToken_Is400_AndTheUserStaysSignedIn()
    {
        await using var session = await BrowserSession.SignInThroughFormAsync(topology, Topology.DemoEmail);

        // The context's request API sends the browser's cookies: the worst case, a cross-site post that got the cookie.
        var response = await session.Page.APIRequest.PostAsync("/signout", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = EvilOrigin },
            Form = session.Page.APIRequest.CreateFormData().Set("anything", "1"),
            MaxRedirects = 0,
        });

        Assert.Equal(400, response.Status);
        await session.Page.GotoAsync("/jobs");
        await Expect(session.Page.GetByTestId("new-job")).ToBeVisibleAsync();

        // The app's own button carries the token and does sign out: the check refuses only what it should.
        await session.Page.GetByTestId("signout").ClickAsync();
        await Expect(session.Page).ToHaveURLAsync(new Regex("/signin\\?signedOut=true$"));
    }

    [Fact]
    public async Task AFormOnAnotherSite_PostingToSignOut_LeavesTheUserSignedIn()
    {
        await using var session = await BrowserSession.SignInThroughFormAsync(topology, Topology.DemoEmail);
        var signOut = new Uri(topology.WebUrl, "/signout");
        // Another origin, served by the browser itself: a page that submits a form to the web as soon as it loads.
        await session.Page.RouteAsync($"{EvilOrigin}/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"""<html><body><form id="f" method="post" action="{signOut}"><input name="x" value="1"></form><script>document.getElementById('f').submit()</script></body></html>""",
        }));

        var posted = session.Page.WaitForResponseAsync(r => r.Url.StartsWith(signOut.ToString(), StringComparison.Ordinal));
        await session.Page.GotoAsync($"{EvilOrigin}/prize");
        var response = await posted;

        // SameSite=Lax keeps the cookie off this post (so it is a challenge, not a sign-out); either way nothing changes.
        Assert.NotEqual(200, response.Status);
        await session.Page.GotoAsync(new Uri(topology.WebUrl, "/jobs").ToString());
        await Expect(session.Page.GetByTestId("new-job")).ToBeVisibleAsync();
        await Expect(session.Page.GetByTestId("workspace-name")).ToContainTextAsync("demo");
    }

    [Fact]
    public async Task AnUpload_PostedToTheContactsPageWithoutTheToken_Is400()
    {
        // Imports upload over the interactive circuit (a WebSocket another site cannot drive); the page's address is the
        // only HTTP endpoint a cross-site form could aim at, and it refuses a post without the token.
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var form = session.Page.APIRequest.CreateFormData();
        form.Set("file", new FilePayload { Name = "contacts.csv", MimeType = "text/csv", Buffer = "email\nx@example.com\n"u8.ToArray() });

        var response = await session.Page.APIRequest.PostAsync("/contacts", new()
        {
            Headers = new Dictionary<string, string> { ["Origin"] = EvilOrigin },
            Multipart = form,
            MaxRedirects = 0,
        });

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task AcceptingAnInvitation_PostedWithoutTheToken_Is400_AndTheInvitationStillWorks()
    {
        var admin = await topology.ApiAsync(Topology.AcmeEmail);
        var email = $"csrf-{Guid.NewGuid():N}"[..18] + "@jobs.local";
        var invitation = await admin.PostJsonAsync("/api/users/invitations", new { email, role = "member" });
        var path = invitation.GetProperty("invitationUrlPath").GetString()!;
        var token = invitation.GetProperty("invitationToken").GetString()!;
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = topology.WebUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "accept-invite",
                ["token"] = token,
                ["displayName"] = "Forged",
                ["password"] = "chosen-by-the-attacker",
            }),
        };
        request.Headers.Add("Origin", EvilOrigin);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var invited = await BrowserSession.OpenAsync(topology);
        await invited.Page.GotoAsync(path);
        await invited.Page.GetByTestId("invite-display-name").FillAsync("The Real One");
        await invited.Page.GetByTestId("invite-password").FillAsync("a-long-enough-password");
        await invited.Page.GetByTestId("invite-submit").ClickAsync();
        await Expect(invited.Page.GetByTestId("workspace-name")).ToContainTextAsync("The Real One · acme");
    }
}
