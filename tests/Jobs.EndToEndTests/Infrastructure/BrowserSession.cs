using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Jobs.EndToEndTests.Infrastructure;

/// <summary>One user in one browser context (its own cookies and tabs).</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    /// <summary>The phone of the brief: 390×844, touch, a mobile user agent's viewport.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private static readonly ViewportSize Desktop = new() { Width = 1366, Height = 900 };
    private readonly IBrowserContext _context;

    private BrowserSession(Topology topology, IBrowserContext context, IPage page)
    {
        Topology = topology;
        _context = context;
        Page = page;
    }

    public Topology Topology { get; }

    public IPage Page { get; }

    /// <param name="storageState">Cookies to start with (a signed-in user's, see <see cref="Topology.SignedInStateAsync"/>).</param>
    /// <param name="address">The browser's address as a proxy in front of the web would report it (X-Forwarded-For);
    /// without one, every browser here is the loopback address.</param>
    public static async Task<BrowserSession> OpenAsync(Topology topology, bool phone = false, string? storageState = null, string? address = null)
    {
        var context = await topology.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = topology.WebUrl.ToString(),
            ViewportSize = phone ? Phone : Desktop,
            IsMobile = phone,
            HasTouch = phone,
            StorageState = storageState,
            ExtraHTTPHeaders = address is null ? null : new Dictionary<string, string> { ["X-Forwarded-For"] = address },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(topology, context, page);
    }

    /// <summary>
    /// A context with the user's session cookie (signed in through the form once per run), on the jobs list once it
    /// is interactive. The API limits sign-ins per client address, and every sign-in through the web comes from the
    /// web's address: one per user keeps the suite far below that limit.
    /// </summary>
    public static async Task<BrowserSession> SignedInAsync(Topology topology, string email, bool phone = false)
    {
        var session = await OpenAsync(topology, phone, await topology.SignedInStateAsync(email));
        await session.Page.GotoAsync("/jobs");
        await Assertions.Expect(session.Page.GetByTestId("new-job")).ToBeVisibleAsync();
        return session;
    }

    /// <summary>Signs in through the form with a session of its own, for tests that end or revoke it.</summary>
    public static async Task<BrowserSession> SignInThroughFormAsync(Topology topology, string email)
    {
        var session = await OpenAsync(topology);
        await session.SignInAsync(email, topology.Password);
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("/jobs$"));
        return session;
    }

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/signin");
        await FillSignInFormAsync(email, password);
    }

    /// <summary>Fills the sign-in form already on screen (a redirect's, with its return URL) and submits it.</summary>
    public async Task FillSignInFormAsync(string email, string password)
    {
        await Page.GetByTestId("signin-email").FillAsync(email);
        await Page.GetByTestId("signin-password").FillAsync(password);
        await Page.GetByTestId("signin-submit").ClickAsync();
    }

    /// <summary>
    /// Saves a full-page screenshot under test-results/screenshots, prints its path and attaches it to the test's
    /// result, so that a person can see what the test saw.
    /// </summary>
    public async Task<string> ScreenshotAsync(string name, bool fullPage = true)
    {
        // MudBlazor animates colour changes (a chip turning from pending to processing) for a few hundred ms.
        await Task.Delay(400);
        var directory = Path.Combine(Topology.ResultsDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{name}.png");
        var bytes = await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        TestContext.Current.AddAttachment($"{name}.png", bytes, "image/png");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
