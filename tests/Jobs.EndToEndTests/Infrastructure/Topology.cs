using System.Collections.Concurrent;
using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Jobs.EndToEndTests.Infrastructure.Topology))]

namespace Jobs.EndToEndTests.Infrastructure;

/// <summary>
/// Once per test run: the whole topology from the AppHost through Aspire.Hosting.Testing (PostgreSQL, Redis, the API,
/// two workers and the web, data in a throwaway directory, every port chosen afresh so nothing clashes with a running
/// ./run.sh or another test run) and one headless Chromium. Tests open their own browser contexts.
/// </summary>
public sealed class Topology : IAsyncLifetime
{
    public const string DemoEmail = "demo@jobs.local";
    public const string AcmeEmail = "acme@jobs.local";
    public const int JobsPageSize = 5;
    public const int SignInFailuresPerAccount = 8;

    /// <summary>An origin besides the web's own that may open its interactive connection, as a proxy's public name would be.</summary>
    public const string AllowedOtherOrigin = "https://jobs.example.test";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"jobs-e2e-ui-{Guid.NewGuid():N}");
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _signedInStates = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<JobsApi>>> _apis = new();
    private DistributedApplication? _app;
    private TopologyLog? _log;
    private IPlaywright? _playwright;

    /// <summary>The seeded users' password for this run (the API seeds it from <c>JOBS_DEV_PASSWORD</c>).</summary>
    public string Password { get; } = $"e2e-{Guid.NewGuid():N}";

    public Uri WebUrl { get; private set; } = default!;

    public Uri ApiUrl { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>Where screenshots go: beside the TRX files that test.sh collects.</summary>
    public static string ResultsDirectory { get; } = Environment.GetEnvironmentVariable("JOBS_TEST_RESULTS") is { Length: > 0 } dir
        ? dir
        : Path.Combine(RepositoryRoot, ".jobs", "test-results");

    /// <summary>The running app model, for tests of the AppHost itself (its resources, their commands).</summary>
    public DistributedApplication App => _app ?? throw new InvalidOperationException("The topology has not started.");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(ResultsDirectory);
        using var timeout = new CancellationTokenSource(StartTimeout);
        // Read by Program.cs from the AppHost's configuration, as ./run.sh's environment would set them.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Jobs_AppHost>(
            [$"JOBS_DATA_DIR={_dataDirectory}", $"JOBS_DEV_PASSWORD={Password}", $"JOBS_DEV_API_KEY=e2e-{Guid.NewGuid():N}"],
            timeout.Token);
        _log = new TopologyLog(Path.Combine(ResultsDirectory, "end-to-end-apphost.log"));
        builder.Services.AddLogging(logging => logging.ClearProviders().AddProvider(_log));
        // Small pages, so that "Load more" is reached with a handful of jobs; a role changed by an admin shows on the
        // user's next page load after 2 s (30 s by default); one more origin for the interactive connection.
        Service(builder, "web")
            .WithEnvironment("Jobs__Web__JobsPageSize", JobsPageSize.ToString())
            .WithEnvironment("Jobs__Web__SessionRecheckInterval", "00:00:02")
            .WithEnvironment("Jobs__Web__AllowedOrigins__0", AllowedOtherOrigin)
            // As a published web behind a proxy (Aspire's manifest sets it): a browser's address comes from
            // X-Forwarded-For, so tests give their browsers addresses of their own (BrowserSession.OpenAsync).
            .WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true");
        // Every browser test signs in as the same demo user; the default of 10 bulk jobs an hour is one test's worth
        // (the operator's ceiling goes up with it).
        Service(builder, "api")
            .WithEnvironment("Api__LimitCeilings__BulkJobsPerHour", "1000")
            .WithEnvironment("Jobs__Dev__BulkJobsPerHour", "1000")
            // One email's budget of failed sign-ins across addresses spent in a few tries (SignInThrottlePageTests).
            .WithEnvironment("Api__SignInThrottle__FailuresPerAccount", SignInFailuresPerAccount.ToString());

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        var notifications = _app.Services.GetRequiredService<ResourceNotificationService>();
        await Task.WhenAll(new[] { "api", "worker", "web" }.Select(name => notifications.WaitForResourceHealthyAsync(name, timeout.Token)));
        ApiUrl = _app.GetEndpoint("api", "http");
        WebUrl = _app.GetEndpoint("web", "http");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Debian's Chromium; Playwright's own browser download is never used here (no network for it).
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>The browser storage (the session cookie) of the user signed in through the form, once per run.</summary>
    public Task<string> SignedInStateAsync(string email) =>
        _signedInStates.GetOrAdd(email, _ => new Lazy<Task<string>>(async () =>
        {
            await using var session = await BrowserSession.SignInThroughFormAsync(this, email);
            return await session.Page.Context.StorageStateAsync();
        })).Value;

    /// <summary>The API as the user, for a test's setup; one session key per user per run.</summary>
    public Task<JobsApi> ApiAsync(string email) =>
        _apis.GetOrAdd(email, _ => new Lazy<Task<JobsApi>>(() => JobsApi.SignInAsync(this, email))).Value;

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        foreach (var api in _apis.Values.Where(a => a.IsValueCreated && a.Value.IsCompletedSuccessfully))
        {
            api.Value.Result.Dispose();
        }

        if (_app is not null)
        {
            // Stops every resource and waits for DCP to clean up (DcpPublisher:WaitForResourceCleanup in testing).
            await _app.DisposeAsync();
        }

        // After the app: it logs until it is disposed.
        _log?.Dispose();

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static IResourceBuilder<ProjectResource> Service(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));

    private static string Metadata(string key) => typeof(Topology).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;
}
