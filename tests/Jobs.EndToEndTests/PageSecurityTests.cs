using System.Net;
using System.Text.Json;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// What the web's pages tell browsers (no sniffing, no referrer to other sites, never stored, a Content-Security-Policy
/// that allows only what the UI needs), that the UI works under that policy, and that nothing a user can type into a
/// query string makes a page fail.
/// </summary>
public sealed class PageSecurityTests(Topology topology)
{
    [Theory]
    [InlineData("/signin?expired=notabool")]
    [InlineData("/signin?signedOut=yes&linkInvalid=2")]
    [InlineData("/signin?expired=&signedOut=%00&linkInvalid=%ff")]
    [InlineData("/signin?expired=true&expired=false")]
    [InlineData("/signin?returnUrl=%2F%2Fevil.example&expired=1")]
    [InlineData("/accept-invite?token=%ff%fe%00")]
    [InlineData("/not-found?x=%E0%A4%A")]
    public async Task QueryValuesAUserCanType_NeverMakeAPageFail(string url)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = topology.WebUrl };

        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSignInPage_ReadsItsFlagsLeniently()
    {
        await using var session = await BrowserSession.OpenAsync(topology);

        await session.Page.GotoAsync("/signin?expired=notabool");
        await Expect(session.Page.GetByTestId("signin-email")).ToBeVisibleAsync();
        await Expect(session.Page.GetByTestId("signin-error")).ToHaveCountAsync(0);

        await session.Page.GotoAsync("/signin?signedOut=TRUE");
        await Expect(session.Page.GetByTestId("signin-error")).ToContainTextAsync("You are signed out.");
    }

    [Fact]
    public async Task TheJobsList_WithAStatusFilterThatIsNoStatus_ShowsEveryJob_InsteadOfAnError()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);

        await session.Page.GotoAsync("/jobs?status=notastatus&type=%3Cscript%3E");

        await Expect(session.Page.GetByTestId("new-job")).ToBeVisibleAsync();
        await Expect(session.Page.GetByTestId("jobs-empty").Or(session.Page.GetByTestId("job-row").First)).ToBeVisibleAsync();
        await Expect(session.Page.GetByTestId("page-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task EveryPage_ForbidsSniffing_KeepsItsAddressFromOtherSites_IsNeverStored_AndHasAContentSecurityPolicy()
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = topology.WebUrl };
        var cookie = await SessionCookieAsync();

        using var signIn = await http.GetAsync("/signin");
        using var redirect = await http.GetAsync("/jobs");
        using var jobs = await GetWithCookieAsync(http, "/jobs", cookie);
        using var notFound = await GetWithCookieAsync(http, "/no-such-page", cookie);
        using var stylesheet = await http.GetAsync("/app.css");

        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        foreach (var page in new[] { signIn, redirect, jobs, notFound })
        {
            var what = $"{(int)page.StatusCode} {page.RequestMessage!.RequestUri!.PathAndQuery}";
            Assert.True(page.Headers.GetValues("X-Content-Type-Options").SequenceEqual(["nosniff"]), what);
            Assert.True(page.Headers.GetValues("Referrer-Policy").SequenceEqual(["same-origin"]), what);
            Assert.True(page.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control {page.Headers.CacheControl}");
            var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
            foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'" })
            {
                Assert.Contains(directive, policy, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        }

        // Static files keep their own caching and are not sniffed either.
        Assert.Equal(HttpStatusCode.OK, stylesheet.StatusCode);
        Assert.True(stylesheet.Headers.GetValues("X-Content-Type-Options").SequenceEqual(["nosniff"]));
        Assert.NotEqual(true, stylesheet.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task TheUi_UnderItsContentSecurityPolicy_ShowsEveryPage_WithoutAViolation()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);
        var jobId = await api.SubmitDemoJobAsync(items: 3, delayMs: 10);
        await using var anonymous = await BrowserSession.OpenAsync(topology);
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var violations = new List<string>();
        foreach (var page in new[] { anonymous.Page, session.Page })
        {
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                {
                    lock (violations)
                    {
                        violations.Add($"{page.Url}: {message.Text}");
                    }
                }
            };
        }

        await anonymous.Page.GotoAsync("/signin");
        await Expect(anonymous.Page.GetByTestId("signin-submit")).ToBeVisibleAsync();
        (string Path, string TestId)[] pages =
        [
            ("/jobs", "new-job"),
            ("/jobs/new", "submit-job"),
            ($"/jobs/{jobId}", "job-timeline"),
            ("/dashboard", "stats-updated"),
            ("/campaigns", "workspace-name"),
            ("/contacts", "contacts-search"),
            ("/settings/limits", "workspace-name"),
            ("/settings/keys", "key-create"),
            ("/settings/users", "invite-create"),
            ("/settings/webhooks", "webhook-add"),
        ];
        foreach (var (path, testId) in pages)
        {
            await session.Page.GotoAsync(path);
            await Expect(session.Page.GetByTestId(testId).First).ToBeVisibleAsync();
        }

        // The interactive parts: a menu opens (MudBlazor's popovers and their inline styles), a job is submitted.
        await session.Page.GotoAsync("/jobs/new");
        await session.Page.GetByTestId("new-job-type").ClickAsync();
        await session.Page.Keyboard.PressAsync("Escape");
        await Expect(session.Page.GetByTestId("submit-job")).ToBeEnabledAsync();
        await Task.Delay(500);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    private async Task<string> SessionCookieAsync()
    {
        using var state = JsonDocument.Parse(await topology.SignedInStateAsync(Topology.DemoEmail));
        var cookie = state.RootElement.GetProperty("cookies").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "jobs.session");
        return $"jobs.session={cookie.GetProperty("value").GetString()}";
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient http, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
    }
}
