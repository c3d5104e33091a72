using System.Collections.Concurrent;
using System.Reflection;
using Jobs.Hosting.Local;
using Jobs.Testing;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Jobs.EndToEndTests.Infrastructure.Topology))]

namespace Jobs.EndToEndTests.Infrastructure;

/// <summary>
/// Once per test run: the whole topology from the built AppHost (PostgreSQL, Redis, the API, two workers and the web,
/// in a throwaway data directory, on free ports) and one headless Chromium. Tests open their own browser contexts.
/// </summary>
public sealed class Topology : IAsyncLifetime
{
    public const string DemoEmail = "demo@jobs.local";
    public const string AcmeEmail = "acme@jobs.local";
    public const int JobsPageSize = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"jobs-e2e-ui-{Guid.NewGuid():N}");
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _signedInStates = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<JobsApi>>> _apis = new();
    private AppHostProcess? _host;
    private StreamWriter? _hostLog;
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

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(ResultsDirectory);
        var apiPort = FreePort.Next();
        var webPort = FreePort.Next();
        ApiUrl = new Uri($"http://127.0.0.1:{apiPort}");
        WebUrl = new Uri($"http://127.0.0.1:{webPort}");
        // The AppHost's whole output, beside the screenshots: the tail in failure messages is rarely all one needs.
        _hostLog = new StreamWriter(Path.Combine(ResultsDirectory, "end-to-end-apphost.log")) { AutoFlush = true };
        _host = AppHostProcess.Start(
            new Dictionary<string, string>
            {
                ["JOBS_DATA_DIR"] = _dataDirectory,
                ["JOBS_API_PORT"] = apiPort.ToString(),
                ["JOBS_WEB_PORT"] = webPort.ToString(),
                ["JOBS_WORKER_REPLICAS"] = "2",
                ["JOBS_DEV_PASSWORD"] = Password,
                ["JOBS_DEV_API_KEY"] = $"e2e-{Guid.NewGuid():N}",
                ["NO_COLOR"] = "1",
                // Small pages, so that "Load more" is reached with a handful of jobs (the AppHost's children inherit it).
                ["Jobs__Web__JobsPageSize"] = JobsPageSize.ToString(),
                // A role changed by an admin shows on the user's next page load after this (30 s by default).
                ["Jobs__Web__SessionRecheckInterval"] = "00:00:02",
                // Every browser test signs in as the same demo user; the default of 10 bulk jobs an hour is one test's worth.
                ["Jobs__Dev__BulkJobsPerHour"] = "1000",
            },
            [],
            _hostLog.WriteLine);

        await _host.WaitForLineAsync(l => l.StartsWith("[apphost] ready", StringComparison.Ordinal), StartTimeout, CancellationToken.None);
        using (var http = new HttpClient { BaseAddress = WebUrl })
        {
            var health = await http.GetAsync("/health");
            if (!health.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The web is not healthy ({(int)health.StatusCode}):{Environment.NewLine}{_host.Tail}");
            }
        }

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

    /// <summary>For failure messages: what the services said last.</summary>
    public string Tail => _host?.Tail ?? "";

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

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        // After the AppHost: it writes to the log until it is disposed.
        if (_hostLog is not null)
        {
            await _hostLog.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static string Metadata(string key) => typeof(Topology).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;
}
