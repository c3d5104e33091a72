using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Jobs.EndToEndTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// The UI's interactive connection (<c>/_blazor</c>, negotiate and WebSocket) opens only for pages of the UI's own
/// origin. A page on another port of the same host, or on a sibling subdomain, is the same site: the browser sends it the
/// signed-in user's cookie, and without this check it could drive the user's UI (read a key the user creates).
/// </summary>
public sealed class CircuitOriginTests(Topology topology)
{
    private string OwnOrigin => topology.WebUrl.GetLeftPart(UriPartial.Authority);

    // The same host on another port (one browsers allow): same site, another origin.
    private string SameSiteOrigin => $"{topology.WebUrl.Scheme}://{topology.WebUrl.Host}:{(topology.WebUrl.Port == 8181 ? 8182 : 8181)}";

    [Fact]
    public async Task Negotiating_FromAnotherOriginOfTheSameSite_WithTheUsersCookie_Is403_AndFromTheUisOwnOrigin_Works()
    {
        var cookie = await SessionCookieAsync();
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = topology.WebUrl };

        using var foreign = await NegotiateAsync(http, SameSiteOrigin, cookie);
        using var crossSite = await NegotiateAsync(http, "http://evil.example", cookie);
        using var own = await NegotiateAsync(http, OwnOrigin, cookie);

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("connectionToken", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOriginListedInTheWebsSettings_MayNegotiate_AsAPublicNameBehindAProxyWould()
    {
        var cookie = await SessionCookieAsync();
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = topology.WebUrl };

        using var listed = await NegotiateAsync(http, Topology.AllowedOtherOrigin, cookie);
        using var unlisted = await NegotiateAsync(http, "https://other.example.test", cookie);

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unlisted.StatusCode);
    }

    [Fact]
    public async Task TheWebSocket_FromAnotherOriginOfTheSameSite_WithTheUsersCookie_Is403_AndFromTheUisOwnOrigin_Opens()
    {
        var cookie = await SessionCookieAsync();

        var (foreignState, foreignStatus) = await OpenWebSocketAsync(SameSiteOrigin, cookie);
        var (ownState, ownStatus) = await OpenWebSocketAsync(OwnOrigin, cookie);

        Assert.Equal(HttpStatusCode.Forbidden, foreignStatus);
        Assert.NotEqual(WebSocketState.Open, foreignState);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, ownStatus);
        Assert.Equal(WebSocketState.Open, ownState);
    }

    [Fact]
    public async Task APageOnAnotherPortOfTheSameHost_CannotOpenTheUisConnection_InTheSignedInUsersBrowser()
    {
        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        var circuit = new UriBuilder(topology.WebUrl) { Scheme = topology.WebUrl.Scheme == "https" ? "wss" : "ws", Path = "/_blazor" }.Uri;
        // The other origin's page, served from another port of this host: it opens the UI's WebSocket as soon as it
        // loads (the browser sends the session cookie with it, since both are one site) and writes what happened into
        // its title.
        await using var other = OtherPortPage.Start(topology.WebUrl.Host, $$"""
            <html><head><title>waiting</title></head><body><script>
            const ws = new WebSocket('{{circuit}}');
            ws.onopen = () => { document.title = 'opened'; ws.close(); };
            ws.onerror = () => { if (document.title === 'waiting') document.title = 'refused'; };
            </script></body></html>
            """);

        await session.Page.GotoAsync(other.Url.ToString());

        await Expect(session.Page).Not.ToHaveTitleAsync("waiting");
        await Expect(session.Page).ToHaveTitleAsync("refused");
        // The UI itself, in the same browser, still works.
        await session.Page.GotoAsync(new Uri(topology.WebUrl, "/jobs").ToString());
        await Expect(session.Page.GetByTestId("new-job")).ToBeVisibleAsync();
    }

    private async Task<string> SessionCookieAsync()
    {
        using var state = JsonDocument.Parse(await topology.SignedInStateAsync(Topology.DemoEmail));
        var cookie = state.RootElement.GetProperty("cookies").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "jobs.session");
        return $"jobs.session={cookie.GetProperty("value").GetString()}";
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient http, string origin, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
    }

    private async Task<(WebSocketState State, HttpStatusCode Status)> OpenWebSocketAsync(string origin, string cookie)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.SetRequestHeader("Cookie", cookie);
        var uri = new UriBuilder(topology.WebUrl) { Scheme = topology.WebUrl.Scheme == "https" ? "wss" : "ws", Path = "/_blazor" }.Uri;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
            // Refused: the status is in HttpStatusCode.
        }

        var result = (socket.State, socket.HttpStatusCode);
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        return result;
    }
}
