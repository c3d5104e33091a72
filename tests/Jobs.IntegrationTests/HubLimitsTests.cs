using System.Diagnostics;
using System.Net;
using Jobs.Api.Auth;
using Jobs.Api.Limits;
using Jobs.Api.Live;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.IntegrationTests;

/// <summary>
/// Calls on the SignalR hub are limited as HTTP requests are: per connection, against the key's requests per minute,
/// and in how many jobs one connection may follow. A refused call is an error the client can read; the connection stays.
/// </summary>
public sealed class HubLimitsTests(Servers servers)
{
    // ApiOptions' defaults, which these tests run with.
    private const int Burst = 100;
    private const int CallsPerSecond = 20;

    [Fact]
    public async Task ABurstOfCallsOnOneConnection_IsRefusedWithARateLimitError_AndAClientThatCallsOnIsDisconnected()
    {
        var logs = new CapturedLogs();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0,
            configureApi: services => services.AddSingleton<ILoggerProvider>(logs));
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        await using var connection = await ConnectAsync(cluster.Client);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var burst = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 700).Select(_ => OutcomeAsync(connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), id))));
        burst.Stop();

        var answered = outcomes.Count(o => o == Answered);
        var refused = outcomes.Where(o => o.Contains("rate_limited")).ToList();
        var failedErrors = logs.Entries.Count(e => e.Level >= LogLevel.Error);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"700 calls in {burst.ElapsedMilliseconds} ms: {answered} answered, {refused.Count} refused, {outcomes.Count(o => o == Closed)} cut off by the close; {failedErrors} error log lines");
        answered.ShouldBeGreaterThanOrEqualTo(Burst);
        answered.ShouldBeLessThanOrEqualTo(Burst + (int)Math.Ceiling(CallsPerSecond * burst.Elapsed.TotalSeconds) + 1);
        refused.ShouldNotBeEmpty();
        refused.ShouldAllBe(message => message.Contains("rate_limited: too many calls on this connection"));
        outcomes.ShouldAllBe(o => o == Answered || o == Closed || o.Contains("rate_limited"));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // SignalR logs each failed call at error level: closing the connection keeps a flood out of the logs.
        failedErrors.ShouldBeLessThanOrEqualTo(2 * HubCallLimitFilter.RefusalsBeforeClose);

        // Reconnecting is served at once.
        await using var again = await ConnectAsync(cluster.Client);
        (await again.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), id)).ShouldNotBeNull();
    }

    [Fact]
    public async Task CallsBeyondTheBurst_AreRefusedWithWhenToTryAgain_AndAfterThatPauseTheConnectionIsServed()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0,
            overrides: new Dictionary<string, string?> { ["Api:HubCallBurst"] = "5", ["Api:HubCallsPerSecond"] = "1" });
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        await using var connection = await ConnectAsync(cluster.Client);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => OutcomeAsync(connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), id))));

        outcomes.Count(o => o == Answered).ShouldBeInRange(5, 6);
        var refused = outcomes.Where(o => o != Answered).ToList();
        refused.ShouldNotBeEmpty();
        refused.ShouldAllBe(message => message.EndsWith("rate_limited: too many calls on this connection (at most 5 at once, then 1 a second). Try again in 1 s."));
        connection.State.ShouldBe(HubConnectionState.Connected);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        (await connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), id)).ShouldNotBeNull();
    }

    [Fact]
    public async Task CallsAtAPaceAClientKeeps_AreNeverRefused()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var ids = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await cluster.Client.SubmitDemoAsync(items: 1));
        }

        await using var connection = await ConnectAsync(cluster.Client);

        // A page of jobs followed at once, then unfollowed, and the workspace: every call answered.
        foreach (var id in ids)
        {
            (await connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), id)).ShouldNotBeNull();
        }

        foreach (var id in ids)
        {
            await connection.InvokeAsync(nameof(JobsHub.UnsubscribeJob), id);
        }

        await connection.InvokeAsync(nameof(JobsHub.SubscribeWorkspace));
        connection.State.ShouldBe(HubConnectionState.Connected);
    }

    [Fact]
    public async Task HubCalls_CountAgainstTheKeysRequestsPerMinute_TogetherWithItsHttpRequests()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (client, caller, _) = await cluster.CreateWorkspaceAsync();
        using var _ = client;
        // Before the workspace's first request, which caches its limits.
        await cluster.SetLimitsAsync(caller.WorkspaceId, requestsPerMinute: 20);
        // One HTTP request: the WebSocket, without a negotiate round trip.
        await using var connection = await ConnectAsync(client, skipNegotiation: true);

        var outcomes = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            outcomes.Add(await OutcomeAsync(connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), Guid.CreateVersion7())));
        }

        outcomes.Take(19).ShouldAllBe(o => o == Answered);
        outcomes.Skip(19).ShouldAllBe(o => o.Contains("rate_limited: this workspace allows 20 requests per minute per API key"));
        var (status, problem) = await client.SendJsonAsync(HttpMethod.Get, "/api/me");
        status.ShouldBe(HttpStatusCode.TooManyRequests);
        problem.GetProperty("code").GetString().ShouldBe("rate_limited");
        connection.State.ShouldBe(HubConnectionState.Connected);
    }

    [Fact]
    public async Task OneConnection_FollowsAtMostTheConfiguredNumberOfJobs_AndUnfollowingOneFreesItsPlace()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0,
            overrides: new Dictionary<string, string?> { ["Api:HubMaxJobsPerConnection"] = "3" });
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await cluster.Client.SubmitDemoAsync(items: 1));
        }

        await using var connection = await ConnectAsync(cluster.Client);
        await using var another = await ConnectAsync(cluster.Client);

        foreach (var id in ids.Take(3))
        {
            (await connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), id)).ShouldNotBeNull();
        }

        var refused = await Should.ThrowAsync<HubException>(() => connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), ids[3]));
        // A job it follows already takes no new place; another connection has places of its own.
        var again = await connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), ids[0]);
        var elsewhere = await another.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), ids[3]);
        await connection.InvokeAsync(nameof(JobsHub.UnsubscribeJob), ids[0]);
        var afterUnfollowing = await connection.InvokeAsync<JobUpdate?>(nameof(JobsHub.SubscribeJob), ids[3]);

        refused.Message.ShouldContain("too_many_subscriptions: this connection follows 3 jobs, the most it may");
        again.ShouldNotBeNull();
        elsewhere.ShouldNotBeNull();
        afterUnfollowing.ShouldNotBeNull().JobId.ShouldBe(ids[3]);
        connection.State.ShouldBe(HubConnectionState.Connected);
    }

    private const string Answered = "answered";
    private const string Closed = "closed";

    /// <summary><see cref="Answered"/>, the error's message, or <see cref="Closed"/> when the connection closed under it.</summary>
    private static async Task<string> OutcomeAsync(Task call)
    {
        try
        {
            await call;
            return Answered;
        }
        catch (HubException ex)
        {
            return ex.Message;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or IOException)
        {
            return Closed;
        }
    }

    private static async Task<HubConnection> ConnectAsync(HttpClient client, bool skipNegotiation = false)
    {
        var apiKey = client.DefaultRequestHeaders.GetValues(ApiKeyAuthenticationHandler.HeaderName).Single();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(client.BaseAddress!, JobsHub.Path), o =>
            {
                o.Headers[ApiKeyAuthenticationHandler.HeaderName] = apiKey;
                if (skipNegotiation)
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                }
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
