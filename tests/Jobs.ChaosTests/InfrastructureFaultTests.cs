using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Testing.Processes;

namespace Jobs.ChaosTests;

/// <summary>Redis flushed and killed, PostgreSQL restarted, the API killed mid-submit.</summary>
[Collection(ChaosCollection.Name)]
public sealed class InfrastructureFaultTests(ChaosFixture fixture) : IAsyncLifetime
{
    // 30 s: ten times the fixture's lease and longer than its stale-hint and dead-worker ages: every hint
    // and consumer is lost and every recovery path is taken.
    private static readonly TimeSpan RedisOutage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PostgresOutage = TimeSpan.FromSeconds(6);

    private ProcessCluster Cluster => fixture.Cluster;

    public async ValueTask InitializeAsync() => await fixture.EnsureHealthyAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task RedisFlushedThenKilledAndRestarted_EveryJobCompletes_AndSubmissionsDuringTheOutageAreAccepted()
    {
        var payload = new { items = 5, delayMs = 100 };
        var ids = new List<Guid>(await Cluster.SubmitManyAsync(10, payload));
        await using (var redis = await fixture.ConnectRedisAsync())
        {
            await redis.GetServers()[0].FlushAllDatabasesAsync();
        }

        ids.AddRange(await Cluster.SubmitManyAsync(5, payload));
        ServiceProcess.Send(Cluster.Redis.ProcessId!.Value, ServiceProcess.SigKill).ShouldBeTrue();
        await Cluster.Redis.StopAsync();
        var outage = Stopwatch.StartNew();
        while (outage.Elapsed < RedisOutage)
        {
            var submit = Stopwatch.StartNew();
            // SubmitDemoAsync accepts only 202 (or 200); the client's timeout bounds a hang.
            ids.Add(await Cluster.SubmitDemoAsync(payload));
            submit.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
            await Task.Delay(1000);
        }

        await Cluster.Redis.RestartAsync();
        await Cluster.WaitUntilFinishedAsync(ids);

        await Cluster.AssertExactlyOnceAsync([.. ids]);
        // Reconnected on their own: a new job goes through the API's hint and a worker's read, and the API is healthy.
        var fresh = Stopwatch.StartNew();
        var after = await Cluster.SubmitDemoAsync(new { items = 1 });
        await Cluster.WaitUntilFinishedAsync([after]);
        fresh.Elapsed.ShouldBeLessThan(Cluster.Options.StaleHintAfter, "the new job waited for maintenance: no live hint path");
        // Readiness probes each dependency with a timeout; on a loaded machine one probe right after the outage can
        // still time out, so readiness must come back within a few probes, not necessarily the first.
        await ProcessCluster.WaitUntilAsync(async () =>
        {
            using var health = await Cluster.Client.GetAsync("/health");
            return health.StatusCode == HttpStatusCode.OK;
        }, "the API to report ready again", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task PostgresRestartedMidRun_ApiAnswers503WhileDown_AndEverythingCompletesWithoutOrphans()
    {
        var ids = await Cluster.SubmitManyAsync(12, new { items = 20, delayMs = 150 });
        await ProcessCluster.WaitUntilAsync(async () => await Cluster.ScalarAsync<long>(
            "SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND status = 'processing'", ("ids", ids)) >= 3, "jobs to run", TimeSpan.FromSeconds(30));

        await Cluster.StopPostgresAsync();
        var down = Stopwatch.StartNew();
        try
        {
            await AssertUnavailableAsync(() => Cluster.Client.GetAsync($"/api/jobs/{ids[0]}"));
            await AssertUnavailableAsync(() => Cluster.Client.PostAsJsonAsync("/api/jobs", new { type = "demo", payload = new { items = 1 } }));
            var rest = PostgresOutage - down.Elapsed;
            await Task.Delay(rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
        }
        finally
        {
            await Cluster.StartPostgresAsync();
        }

        // Once a leader could have rescued them, no processing job may sit on a lease nobody renews.
        await Task.Delay(Cluster.Options.LeaderTtl + Cluster.Options.MaintenanceInterval);
        var clock = Stopwatch.StartNew();
        while (await Cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND status IN ('pending', 'processing')", ("ids", ids)) > 0)
        {
            var orphans = await Cluster.ScalarAsync<long>(
                "SELECT count(*) FROM jobs WHERE status = 'processing' AND (lease_owner IS NULL OR lease_expires_at < now() - @grace)",
                ("grace", Cluster.Options.MaintenanceInterval * 3));
            orphans.ShouldBe(0, fixture.Log);
            clock.Elapsed.ShouldBeLessThan(Scenario.Finish, "jobs did not finish after PostgreSQL came back");
            await Task.Delay(200);
        }

        await Cluster.AssertExactlyOnceAsync(ids);
    }

    [Fact]
    public async Task ApiKilledMidSubmit_ClientRetryingWithItsIdempotencyKey_GetsOneJob()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"chaos-12-{Guid.NewGuid():N}-{i}").ToArray();
        var payload = new { items = 2, delayMs = 50 };
        var first = keys.Select(k => TrySubmitAsync(k, payload)).ToList();
        await Task.WhenAny(first);

        await Cluster.RestartApiAsync(ServiceProcess.SigKill);

        var answered = await Task.WhenAll(first);
        var ids = new Dictionary<string, Guid>();
        var replayed = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            var deadline = Stopwatch.StartNew();
            Guid? id = null;
            while ((id = await TrySubmitAsync(keys[i], payload, () => replayed++)) is null)
            {
                deadline.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
                await Task.Delay(200);
            }

            ids[keys[i]] = id.Value;
            if (answered[i] is { } before)
            {
                id.Value.ShouldBe(before, "the retry returned another job than the first answer");
            }
        }

        // Retries of the requests answered before the kill are replays too; the others were stored or not by chance.
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{answered.Count(a => a is null)} of {keys.Length} submissions lost their answer; {replayed - answered.Count(a => a is not null)} of those had been stored");
        var stored = await Cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE idempotency_key = ANY(@keys)", ("keys", keys));
        stored.ShouldBe(keys.Length);
        ids.Values.Distinct().Count().ShouldBe(keys.Length);
        await Cluster.WaitUntilFinishedAsync(ids.Values);
        await Cluster.AssertExactlyOnceAsync([.. ids.Values]);
    }

    private static async Task AssertUnavailableAsync(Func<Task<HttpResponseMessage>> call)
    {
        var clock = Stopwatch.StartNew();
        using var response = await call();
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, body);
        response.Headers.RetryAfter.ShouldNotBeNull(body);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(8), "the API took too long to say it is unavailable");
    }

    // Null when the API gave no answer (killed, restarting) or a 5xx: the client cannot know whether it was stored.
    private async Task<Guid?> TrySubmitAsync(string key, object payload, Action? onReplay = null)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { type = "demo", payload }) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await Cluster.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                return null;
            }

            ((int)response.StatusCode).ShouldBeOneOf([200, 202], body);
            if (response.Headers.TryGetValues("Idempotent-Replayed", out var replay) && replay.Contains("true"))
            {
                onReplay?.Invoke();
            }

            return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetGuid();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
