using System.Text.Json;
using Jobs.Core.Engine;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Integrations;
using Jobs.Worker.Integrations.Email;
using Jobs.Worker.Integrations.Places;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.IntegrationTests;

/// <summary>
/// The real clients of Google Places, Hunter and NeverBounce, registered as the worker registers them (service
/// defaults' standard resilience pipeline included), against a stub server on 127.0.0.1: the requests are shaped as
/// the real APIs expect, their answers are read, and errors become the right kind of failure.
/// </summary>
public sealed class LeadIntegrationClientTests
{
    private const string ApiKey = "test-key-123";

    [Fact]
    public async Task GooglePlacesTextSearch_PostsTheQueryWithKeyAndFieldMask_AndFollowsPageTokens()
    {
        await using var stub = await StubServer.StartAsync(r => r.Index == 0
            ? Json(200, new
            {
                places = new[]
                {
                    new { id = "ChIJ-a", displayName = new { text = "Oakwood Plumbing", languageCode = "en" }, formattedAddress = "1 Main St, Austin, TX" },
                    new { id = "ChIJ-b", displayName = new { text = "Summit Plumbers", languageCode = "en" }, formattedAddress = "2 Oak Ave, Austin, TX" },
                    new { id = "ChIJ-c", displayName = new { text = "Blue Ridge Pipes", languageCode = "en" }, formattedAddress = "3 Elm Rd, Austin, TX" },
                },
                nextPageToken = "page-2",
            })
            : Json(200, new { places = new[] { new { id = "ChIJ-d", displayName = new { text = "Cedar Drains", languageCode = "en" } } } }));
        using var host = await StartAsync(Settings(places: stub));
        var places = host.Services.GetRequiredService<IPlacesSearch>();

        var result = await places.SearchTextAsync(new PlaceQuery("plumbers", "Austin, TX", MaxResults: 5), CancellationToken.None);

        places.Source.ShouldBe("google");
        stub.Requests.Count.ShouldBe(2);
        foreach (var request in stub.Requests)
        {
            request.Method.ShouldBe("POST");
            request.Path.ShouldBe("/v1/places:searchText");
            request.Headers["X-Goog-Api-Key"].ShouldBe(ApiKey);
            request.Headers["X-Goog-FieldMask"].ShouldBe("places.id,places.displayName,places.formattedAddress,nextPageToken");
            request.Headers["Content-Type"].ShouldStartWith("application/json");
        }

        var first = JsonDocument.Parse(stub.Requests[0].Body).RootElement;
        first.GetProperty("textQuery").GetString().ShouldBe("plumbers in Austin, TX");
        first.GetProperty("pageSize").GetInt32().ShouldBe(5);
        first.TryGetProperty("pageToken", out _).ShouldBeFalse();
        var second = JsonDocument.Parse(stub.Requests[1].Body).RootElement;
        second.GetProperty("textQuery").GetString().ShouldBe("plumbers in Austin, TX");
        second.GetProperty("pageSize").GetInt32().ShouldBe(2);
        second.GetProperty("pageToken").GetString().ShouldBe("page-2");

        result.Places.Select(p => p.PlaceId).ShouldBe(["ChIJ-a", "ChIJ-b", "ChIJ-c", "ChIJ-d"]);
        result.Places[0].ShouldBe(new PlaceSummary("ChIJ-a", "Oakwood Plumbing", "1 Main St, Austin, TX"));
        result.Places[3].Address.ShouldBeNull();
        result.Requests.ShouldBe(2);
        result.Cost.ShouldBe(2 * 0.032m);
    }

    [Fact]
    public async Task GooglePlaceDetails_GetsThePlaceWithKeyAndFieldMask_AndReadsWhatItHas()
    {
        await using var stub = await StubServer.StartAsync(r => r.Path.EndsWith("ChIJ-full", StringComparison.Ordinal)
            ? Json(200, new
            {
                id = "ChIJ-full",
                nationalPhoneNumber = "(512) 555-0100",
                websiteUri = "https://www.oakwood-plumbing.com/",
                rating = 4.6,
                userRatingCount = 212,
                regularOpeningHours = new { openNow = true, weekdayDescriptions = new[] { "Monday: 8:00 AM – 5:00 PM" } },
                businessStatus = "OPERATIONAL",
            })
            : Json(200, new { id = "ChIJ-bare" }));
        using var host = await StartAsync(Settings(places: stub));
        var places = host.Services.GetRequiredService<IPlacesSearch>();

        var full = await places.GetDetailsAsync("ChIJ-full", CancellationToken.None);
        var bare = await places.GetDetailsAsync("ChIJ-bare", CancellationToken.None);

        var request = stub.Requests[0];
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/v1/places/ChIJ-full");
        request.Headers["X-Goog-Api-Key"].ShouldBe(ApiKey);
        request.Headers["X-Goog-FieldMask"].ShouldBe("id,nationalPhoneNumber,websiteUri,rating,userRatingCount,regularOpeningHours,businessStatus");
        full.ShouldBe(new PlaceDetails("ChIJ-full", "(512) 555-0100", "https://www.oakwood-plumbing.com/", 4.6, 212, true, "OPERATIONAL", 0.017m));
        bare.ShouldBe(new PlaceDetails("ChIJ-bare", null, null, null, null, false, null, 0.017m));
    }

    [Fact]
    public async Task HunterDomainSearch_SendsDomainAndKeyInTheQuery_AndKeepsTheMostConfidentAddress()
    {
        await using var stub = await StubServer.StartAsync(r => r.Query["domain"] == "oakwood-plumbing.com"
            ? Json(200, new
            {
                data = new
                {
                    domain = "oakwood-plumbing.com",
                    organization = "Oakwood Plumbing",
                    emails = new[]
                    {
                        new { value = "info@oakwood-plumbing.com", type = "generic", confidence = 71 },
                        new { value = "maria@oakwood-plumbing.com", type = "personal", confidence = 94 },
                    },
                },
                meta = new { results = 2, limit = 10, offset = 0 },
            })
            : Json(200, new { data = new { domain = r.Query["domain"], emails = Array.Empty<object>() }, meta = new { results = 0 } }));
        using var host = await StartAsync(Settings(emailFinder: stub));
        var finder = host.Services.GetRequiredService<IEmailFinder>();

        var found = await finder.FindAsync("oakwood-plumbing.com", "Oakwood Plumbing", CancellationToken.None);
        var none = await finder.FindAsync("nobody.example", "Nobody", CancellationToken.None);

        finder.Source.ShouldBe("hunter");
        var request = stub.Requests[0];
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/v2/domain-search");
        request.Query["domain"].ShouldBe("oakwood-plumbing.com");
        request.Query["company"].ShouldBe("Oakwood Plumbing");
        request.Query["api_key"].ShouldBe(ApiKey);
        found.ShouldBe(new EmailFinding("maria@oakwood-plumbing.com", 94, 0.01m));
        none.ShouldBe(new EmailFinding(null, null, 0m));
    }

    [Theory]
    [InlineData("valid", EmailStatus.Deliverable)]
    [InlineData("catchall", EmailStatus.Risky)]
    [InlineData("unknown", EmailStatus.Risky)]
    [InlineData("invalid", EmailStatus.Undeliverable)]
    [InlineData("disposable", EmailStatus.Undeliverable)]
    public async Task NeverBounceSingleCheck_SendsKeyAndEmailInTheQuery_AndMapsItsVerdict(string result, string status)
    {
        await using var stub = await StubServer.StartAsync(_ =>
            Json(200, new { status = "success", result, flags = new[] { "has_dns" }, suggested_correction = "", execution_time = 285 }));
        using var host = await StartAsync(Settings(emailVerifier: stub));
        var verifier = host.Services.GetRequiredService<IEmailVerifier>();

        var verification = await verifier.VerifyAsync("maria@oakwood-plumbing.com", CancellationToken.None);

        verifier.Source.ShouldBe("neverbounce");
        var request = stub.Requests.Single();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/v4/single/check");
        request.Query["key"].ShouldBe(ApiKey);
        request.Query["email"].ShouldBe("maria@oakwood-plumbing.com");
        verification.ShouldBe(new EmailVerification(status, result, 0.008m));
    }

    [Fact]
    public async Task NeverBounceAuthFailure_InAHttp200_IsNotRetryable()
    {
        await using var stub = await StubServer.StartAsync(_ => Json(200, new { status = "auth_failure", message = "Invalid API key 'xyz'" }));
        using var host = await StartAsync(Settings(emailVerifier: stub));

        var error = await Should.ThrowAsync<NonRetryableJobException>(() =>
            host.Services.GetRequiredService<IEmailVerifier>().VerifyAsync("a@b.example", CancellationToken.None));

        error.Message.ShouldContain("Integrations:EmailVerifier:ApiKey");
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TooManyRequests_IsRetriedAfterItsRetryAfter_ThenSucceeds()
    {
        await using var stub = await StubServer.StartAsync(r => r.Index == 0
            ? Json(429, new { error = new { code = 429, message = "Quota exceeded", status = "RESOURCE_EXHAUSTED" } }, ("Retry-After", "2"))
            : Json(200, new { id = "ChIJ-a", businessStatus = "OPERATIONAL" }));
        // The pipeline's own backoff is cut to 10 ms, so a wait of two seconds can only come from Retry-After.
        using var host = await StartAsync(Settings(places: stub), fastBackoff: true);

        var details = await host.Services.GetRequiredService<IPlacesSearch>().GetDetailsAsync("ChIJ-a", CancellationToken.None);

        details.BusinessStatus.ShouldBe("OPERATIONAL");
        stub.Requests.Count.ShouldBe(2);
        var waited = stub.Requests[1].ReceivedAt - stub.Requests[0].ReceivedAt;
        waited.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        waited.ShouldBeLessThan(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task ServerErrors_AreRetriedByThePipeline_AndStillFailingFailTheAttemptRetryably()
    {
        await using var stub = await StubServer.StartAsync(_ => Json(503, new { error = new { code = 503, message = "Backend unavailable" } }));
        using var host = await StartAsync(Settings(places: stub), fastBackoff: true);

        var error = await Should.ThrowAsync<HttpRequestException>(() =>
            host.Services.GetRequiredService<IPlacesSearch>().GetDetailsAsync("ChIJ-a", CancellationToken.None));

        error.Message.ShouldContain("503");
        error.Message.ShouldContain("Backend unavailable");
        stub.Requests.Count.ShouldBe(4); // the first try and the standard pipeline's three retries
    }

    [Fact]
    public async Task ForbiddenFromGoogle_IsNotRetried_AndFailsWithAMessageNamingTheKeySetting()
    {
        await using var stub = await StubServer.StartAsync(_ =>
            Json(403, new { error = new { code = 403, message = "Places API (New) has not been used in project 42 or it is disabled.", status = "PERMISSION_DENIED" } }));
        using var host = await StartAsync(Settings(places: stub));

        var error = await Should.ThrowAsync<NonRetryableJobException>(() =>
            host.Services.GetRequiredService<IPlacesSearch>().SearchTextAsync(new PlaceQuery("plumbers", "Austin", 20), CancellationToken.None));

        error.Message.ShouldContain("403");
        error.Message.ShouldContain("has not been used in project 42");
        error.Message.ShouldContain("Integrations:Places:ApiKey");
        error.Message.ShouldNotContain(ApiKey);
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task UnauthorizedFromHunter_IsNotRetried()
    {
        await using var stub = await StubServer.StartAsync(_ =>
            Json(401, new { errors = new[] { new { id = "authentication_failed", code = 401, details = "No user found for the API key supplied" } } }));
        using var host = await StartAsync(Settings(emailFinder: stub));

        var error = await Should.ThrowAsync<NonRetryableJobException>(() =>
            host.Services.GetRequiredService<IEmailFinder>().FindAsync("oakwood.example", "Oakwood", CancellationToken.None));

        error.Message.ShouldContain("401");
        error.Message.ShouldContain("No user found for the API key supplied");
        error.Message.ShouldContain("Integrations:EmailFinder:ApiKey");
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ApiKeysInQueryStrings_NeverReachTheLogs()
    {
        await using var stub = await StubServer.StartAsync(r => r.Path.StartsWith("/v2/", StringComparison.Ordinal)
            ? Json(200, new { data = new { emails = new[] { new { value = "info@oakwood.example", confidence = 80 } } } })
            : Json(200, new { status = "success", result = "valid" }));
        var logs = new CapturingLoggerProvider();
        using var host = await StartAsync(Settings(emailFinder: stub, emailVerifier: stub), logs: logs);

        await host.Services.GetRequiredService<IEmailFinder>().FindAsync("oakwood.example", "Oakwood", CancellationToken.None);
        await host.Services.GetRequiredService<IEmailVerifier>().VerifyAsync("info@oakwood.example", CancellationToken.None);

        logs.Messages.ShouldContain(m => m.Contains("/v2/domain-search"), "HttpClient logs each request at Information");
        logs.Messages.ShouldContain(m => m.Contains("/v4/single/check"));
        logs.Messages.ShouldNotContain(m => m.Contains(ApiKey));
    }

    [Fact]
    public async Task NoConfiguration_SelectsTheSimulatedServices()
    {
        using var host = await StartAsync([]);

        host.Services.GetRequiredService<IPlacesSearch>().Source.ShouldBe(IntegrationProvider.Simulated);
        host.Services.GetRequiredService<IEmailFinder>().Source.ShouldBe(IntegrationProvider.Simulated);
        host.Services.GetRequiredService<IEmailVerifier>().Source.ShouldBe(IntegrationProvider.Simulated);
        var prices = host.Services.GetRequiredService<IOptions<IntegrationPrices>>().Value;
        (prices.PlacesTextSearch, prices.PlacesDetails, prices.EmailFinder, prices.EmailVerifier).ShouldBe((0.032m, 0.017m, 0.01m, 0.008m));
    }

    [Theory]
    [InlineData("Integrations:Places:Provider", "google", "Integrations:Places:ApiKey is required when Integrations:Places:Provider is 'google'")]
    [InlineData("Integrations:EmailFinder:Provider", "hunter", "Integrations:EmailFinder:ApiKey is required")]
    [InlineData("Integrations:EmailVerifier:Provider", "neverbounce", "Integrations:EmailVerifier:ApiKey is required")]
    [InlineData("Integrations:Places:Provider", "bing", "Integrations:Places:Provider is 'bing'; it must be 'simulated' or 'google'")]
    public async Task MisconfiguredProvider_StopsStartUp_SayingWhichKeyToSet(string key, string value, string message)
    {
        var error = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new() { [key] = value }));

        error.Message.ShouldContain(message);
    }

    private static Dictionary<string, string?> Settings(StubServer? places = null, StubServer? emailFinder = null, StubServer? emailVerifier = null)
    {
        var settings = new Dictionary<string, string?>();
        void Real(string section, string provider, StubServer? stub)
        {
            if (stub is not null)
            {
                settings[$"{section}:Provider"] = provider;
                settings[$"{section}:ApiKey"] = ApiKey;
                settings[$"{section}:BaseUrl"] = stub.BaseUrl.ToString();
            }
        }

        Real(PlacesOptions.Section, PlacesOptions.Google, places);
        Real(EmailFinderOptions.Section, EmailFinderOptions.Hunter, emailFinder);
        Real(EmailVerifierOptions.Section, EmailVerifierOptions.NeverBounce, emailVerifier);
        return settings;
    }

    /// <summary>The integrations as the worker registers them, behind the service defaults' HTTP resilience.</summary>
    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings, bool fastBackoff = false, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        }

        builder.AddServiceDefaults();
        builder.AddJobsIntegrations();
        if (fastBackoff)
        {
            builder.Services.PostConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.Delay = TimeSpan.FromMilliseconds(10));
        }

        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    /// <summary>Keeps every formatted log message, whatever its level.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> messages = new();

        public IReadOnlyList<string> Messages => [.. messages];

        public ILogger CreateLogger(string categoryName) => new Logger(messages);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(string.Join(' ',
                    formatter(state, exception),
                    exception,
                    state is IEnumerable<KeyValuePair<string, object?>> values ? string.Join(' ', values.Select(v => $"{v.Key}={v.Value}")) : ""));
        }
    }

    private static StubResponse Json(int status, object body, params (string Name, string Value)[] headers) =>
        new(status, JsonSerializer.Serialize(body), headers.ToDictionary(h => h.Name, h => h.Value));
}
