using System.Net;
using Jobs.Api.Auth;
using Jobs.Api.Live;
using Jobs.Contracts.Jobs;
using Jobs.Core.Identity;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

public sealed class SessionsTests(Servers servers)
{
    [Fact]
    public async Task SignIn_IssuesAWorkingKey_AndSignOutRevokesItAtOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = await SetPasswordAsync(cluster, "correct horse");
        using var anonymous = cluster.Api.CreateClient();

        var (status, session) = await anonymous.PostAsync("/api/sessions", new { email = email.ToUpperInvariant(), password = "correct horse" });

        status.ShouldBe(HttpStatusCode.Created);
        using var signedIn = cluster.Api.CreateClient();
        signedIn.DefaultRequestHeaders.Add("X-Api-Key", session.GetProperty("apiKey").GetString());
        var me = System.Text.Json.JsonDocument.Parse(await signedIn.GetStringAsync("/api/me")).RootElement;
        me.GetProperty("workspaceId").GetGuid().ShouldBe(cluster.Caller.WorkspaceId);
        me.GetProperty("email").GetString().ShouldBe(email);

        using (var signOut = await signedIn.DeleteAsync("/api/sessions/current"))
        {
            signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await signedIn.SendRawAsync(HttpMethod.Get, "/api/me", null)).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("wrong password", true)]
    [InlineData("correct horse", false)]
    public async Task SignIn_WithAWrongPasswordOrUnknownEmail_IsUnauthorized(string password, bool knownEmail)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = await SetPasswordAsync(cluster, "correct horse");
        using var anonymous = cluster.Api.CreateClient();

        var (status, problem) = await anonymous.PostAsync("/api/sessions", new { email = knownEmail ? email : "nobody@test.local", password });

        status.ShouldBe(HttpStatusCode.Unauthorized);
        problem.GetProperty("code").GetString().ShouldBe("invalid_credentials");
    }

    [Fact]
    public async Task SignIn_WithoutCredentials_NamesTheMissingFields()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        using var anonymous = cluster.Api.CreateClient();

        var (status, problem) = await anonymous.SendRawAsync(HttpMethod.Post, "/api/sessions", "{}");

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("email", out _).ShouldBeTrue();
        problem.GetProperty("errors").TryGetProperty("password", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task RepeatedFailedSignIns_ForOneAccount_AreThrottled_WithoutLockingOutOthers()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = await SetPasswordAsync(cluster, "correct horse");
        using var anonymous = cluster.Api.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            (await anonymous.PostAsync("/api/sessions", new { email, password = $"guess {i}" })).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var response = await anonymous.PostAsync("/api/sessions", System.Net.Http.Json.JsonContent.Create(new { email, password = "correct horse" }));
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull();
        (await anonymous.PostAsync("/api/sessions", new { email = "someone-else@test.local", password = "x" })).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ASessionKey_StopsWorkingAtItsExpiry_ThoughItsLookupIsCached()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var cache = cluster.Api.Services.GetRequiredService<ApiKeyCache>();
        await Eventually.TrueAsync(() => Task.FromResult(cache.IsTrusted), "the API to trust its key cache");
        var (key, expiresAt) = await CreateSessionAsync(cluster, TimeSpan.FromSeconds(3));
        using var client = cluster.Api.ClientWithKey(key);
        (await client.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        var (status, problem) = await client.SendJsonAsync(HttpMethod.Get, "/api/me");

        status.ShouldBe(HttpStatusCode.Unauthorized);
        problem.GetProperty("code").GetString().ShouldBe("unauthenticated");
    }

    [Fact]
    public async Task ASessionKeysOpenEventStreamsAndHubConnections_CloseAtItsExpiry()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        // A pending job with no worker: its stream would stay open (heartbeats only) until the job ends.
        var jobId = await cluster.Client.SubmitDemoAsync(items: 1);
        var (key, expiresAt) = await CreateSessionAsync(cluster, TimeSpan.FromSeconds(4));
        using var client = cluster.Api.ClientWithKey(key);
        using var response = await EventStreamReader.OpenAsync(client, jobId);
        using var stream = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        (await stream.ReadEventAsync(TimeSpan.FromSeconds(5))).ShouldNotBeNull().Json.GetProperty("status").GetString().ShouldBe("pending");
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(client.BaseAddress!, JobsHub.Path), o => o.Headers[ApiKeyAuthenticationHandler.HeaderName] = key)
            .Build();
        var hubClosed = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            hubClosed.TrySetResult(DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        (await connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), jobId)).ShouldNotBeNull();

        var rest = await stream.ReadEventsToEndAsync(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5));
        var streamEnded = DateTimeOffset.UtcNow;
        var hubClosedAt = await hubClosed.Task.WaitAsync(TimeSpan.FromSeconds(5));

        rest.ShouldBeEmpty();
        streamEnded.ShouldBeGreaterThanOrEqualTo(expiresAt - TimeSpan.FromMilliseconds(100));
        streamEnded.ShouldBeLessThan(expiresAt + TimeSpan.FromSeconds(2));
        hubClosedAt.ShouldBeLessThan(expiresAt + TimeSpan.FromSeconds(2));
        connection.State.ShouldBe(HubConnectionState.Disconnected);
    }

    private static async Task<(string Key, DateTimeOffset ExpiresAt)> CreateSessionAsync(TestCluster cluster, TimeSpan lifetime)
    {
        var key = await cluster.Api.Services.GetRequiredService<IWorkspaceStore>().SessionCreateAsync(cluster.Caller, lifetime, CancellationToken.None);
        var expiresAt = await cluster.ScalarAsync<DateTime>(
            "SELECT expires_at FROM api_keys WHERE key_hash = sha256(convert_to(@key, 'UTF8'))", ("key", key));
        return (key, new DateTimeOffset(expiresAt, TimeSpan.Zero));
    }

    private static async Task<string> SetPasswordAsync(TestCluster cluster, string password)
    {
        var store = cluster.Api.Services.GetRequiredService<IWorkspaceStore>();
        var user = (await store.UserGetAsync(cluster.Caller.UserId, CancellationToken.None))!;
        await store.UserSetPasswordHashAsync(user.Id, new PasswordHasher<UserAccount>().HashPassword(user, password), CancellationToken.None);
        return user.Email;
    }
}
