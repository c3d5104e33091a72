using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Api.Limits;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>
/// The submission limits (docs/design.md, "Admission, limits and fairness"), counted in Redis: bulk jobs per user per
/// hour, requests per key per minute, both shared by every API instance and answered 429 with <c>Retry-After</c>.
/// Limits are set as an admin would, in SQL.
/// </summary>
public sealed class LimitsTests(Servers servers)
{
    private static readonly object Export = new { type = "contacts.export", payload = new { } };

    [Fact]
    public async Task EleventhBulkJobWithinTheHour_Is429WithRetryAfter_WhileOthersStillSubmit()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();

        // The seeded default, 10 an hour: a batch counts each of its bulk jobs, a demo job is not bulk.
        for (var i = 0; i < 6; i++)
        {
            await cluster.Client.SubmitAsync(Export);
        }

        var (batch, _) = await cluster.Client.PostAsync("/api/jobs/batch", new { jobs = new[] { Export, Export, Export, Export, new { type = "demo", payload = (object)new { items = 1 } } } });
        batch.ShouldBe(HttpStatusCode.Accepted);

        using var response = await cluster.Client.PostAsJsonAsync("/api/jobs", new { type = "leads.discover", payload = new { businessType = "plumbers", location = "Austin" } });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        problem.GetProperty("code").GetString().ShouldBe("bulk_rate_limited");
        problem.GetProperty("detail").GetString()!.ShouldContain("10 bulk jobs per hour per user");
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value;
        retryAfter.ShouldBeGreaterThan(TimeSpan.FromMinutes(59), "the oldest counted job leaves the window in about an hour");
        retryAfter.ShouldBeLessThanOrEqualTo(BulkSubmissionLimiter.Window);

        await cluster.Client.SubmitDemoAsync(items: 1);
        await other.SubmitAsync(Export);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE workspace_id = @w AND type <> 'demo'", ("w", cluster.Caller.WorkspaceId))).ShouldBe(10);
    }

    [Fact]
    public async Task BulkJobsLeft_CountDownWithEachBulkJob_SayWhenTheNextFrees_AndTheRefusalSaysItInMinutes()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await cluster.SetLimitsAsync(cluster.Caller.WorkspaceId, bulkJobsPerHour: 3);

        var fresh = await cluster.Client.GetFromJsonAsync<JsonElement>("/api/workspace/bulk-jobs");
        (fresh.GetProperty("limit").GetInt32(), fresh.GetProperty("used").GetInt32(), fresh.GetProperty("remaining").GetInt32()).ShouldBe((3, 0, 3));
        fresh.GetProperty("nextFreeAt").ValueKind.ShouldBe(JsonValueKind.Null);

        var before = DateTimeOffset.UtcNow;
        await cluster.Client.SubmitAsync(Export);
        await cluster.Client.SubmitAsync(Export);
        await cluster.Client.SubmitDemoAsync(items: 1);
        var two = await cluster.Client.GetFromJsonAsync<JsonElement>("/api/workspace/bulk-jobs");

        (two.GetProperty("used").GetInt32(), two.GetProperty("remaining").GetInt32()).ShouldBe((2, 1), "a demo job is not bulk");
        two.GetProperty("nextFreeAt").GetDateTimeOffset().ShouldBeInRange(before.AddMinutes(59), DateTimeOffset.UtcNow.AddHours(1).AddSeconds(1));

        await cluster.Client.SubmitAsync(Export);
        var none = await cluster.Client.GetFromJsonAsync<JsonElement>("/api/workspace/bulk-jobs");
        none.GetProperty("remaining").GetInt32().ShouldBe(0);
        var (status, problem) = await cluster.Client.PostAsync("/api/jobs", Export);
        status.ShouldBe(HttpStatusCode.TooManyRequests);
        problem.GetProperty("detail").GetString()!.ShouldEndWith("Try again in 60 minutes.");
        problem.GetProperty("retryAfterSeconds").GetInt32().ShouldBeGreaterThan(59 * 60);
        (await cluster.Client.GetFromJsonAsync<JsonElement>("/api/workspace/bulk-jobs")).GetProperty("used").GetInt32().ShouldBe(3, "a refusal counts nothing");

        // Counted per user of a workspace: another workspace's user has an hour of their own.
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _1 = other;
        (await other.GetFromJsonAsync<JsonElement>("/api/workspace/bulk-jobs")).GetProperty("used").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task BatchThatWouldCrossTheLimit_IsRefusedWhole()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await cluster.SetLimitsAsync(cluster.Caller.WorkspaceId, bulkJobsPerHour: 3);

        (await cluster.Client.PostAsync("/api/jobs/batch", new { jobs = new[] { Export, Export } })).Status.ShouldBe(HttpStatusCode.Accepted);
        var (status, problem) = await cluster.Client.PostAsync("/api/jobs/batch", new { jobs = new[] { Export, Export } });

        status.ShouldBe(HttpStatusCode.TooManyRequests);
        problem.GetProperty("code").GetString().ShouldBe("bulk_rate_limited");
        problem.GetProperty("limit").GetInt32().ShouldBe(3);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(2);
        await cluster.Client.SubmitAsync(Export);
    }

    [Fact]
    public async Task RetryingABulkJob_CountsAgainstTheHourlyLimit_AndARetryThatDoesNotApplyGivesItsPlaceBack()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await cluster.SetLimitsAsync(cluster.Caller.WorkspaceId, bulkJobsPerHour: 2);
        var job = await cluster.Client.SubmitAsync(Export);
        (await cluster.Client.PostAsync($"/api/jobs/{job}/cancel")).Status.ShouldBe(HttpStatusCode.OK);

        (await cluster.Client.PostAsync($"/api/jobs/{job}/retry")).Status.ShouldBe(HttpStatusCode.OK, "the second bulk job of the hour");
        (await cluster.Client.PostAsync($"/api/jobs/{job}/retry")).Status.ShouldBe(HttpStatusCode.Conflict, "pending: nothing to retry, nothing counted");
        (await cluster.Client.PostAsync($"/api/jobs/{job}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        var (status, problem) = await cluster.Client.PostAsync($"/api/jobs/{job}/retry");

        status.ShouldBe(HttpStatusCode.TooManyRequests, problem.ToString());
        problem.GetProperty("code").GetString().ShouldBe("bulk_rate_limited");
        problem.GetProperty("limit").GetInt32().ShouldBe(2);
        (await cluster.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{job}")).GetProperty("status").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task IdempotentReplays_DoNotCount_AndAreAnsweredEvenAtTheLimit()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await cluster.SetLimitsAsync(cluster.Caller.WorkspaceId, bulkJobsPerHour: 2);

        var first = await cluster.Client.SubmitAsync(Export, idempotencyKey: "export-a");
        for (var i = 0; i < 3; i++)
        {
            (await SubmitStatusAsync(cluster.Client, Export, "export-a")).ShouldBe(HttpStatusCode.OK, "a replay");
        }

        await cluster.Client.SubmitAsync(Export, idempotencyKey: "export-b");
        (await SubmitStatusAsync(cluster.Client, Export, "export-c")).ShouldBe(HttpStatusCode.TooManyRequests);
        (await SubmitStatusAsync(cluster.Client, Export, "export-a")).ShouldBe(HttpStatusCode.OK, "a replay is answered at the limit");
        (await cluster.Client.GetFromJsonAsync<JobListResponse>($"/api/jobs?limit=10"))!.Items.Count.ShouldBe(2);
        first.ShouldNotBe(Guid.Empty);
    }

    [Fact]
    public async Task FloodFromOneKey_Is429WithRetryAfter_WhileTheOtherWorkspacesKeyKeepsWorking()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        await cluster.SetLimitsAsync(cluster.Caller.WorkspaceId, requestsPerMinute: 20);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 40; i++)
        {
            var response = await cluster.Client.GetAsync("/api/jobs");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }

            (await other.GetAsync("/api/jobs")).StatusCode.ShouldBe(HttpStatusCode.OK, "the other workspace is not limited by this flood");
        }

        statuses.Count(s => s == HttpStatusCode.OK).ShouldBe(20);
        statuses.Skip(20).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        refused!.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), KeyRequestLimiter.Window);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("rate_limited");
        problem.GetProperty("detail").GetString()!.ShouldContain("20 requests per minute");
        (await SubmitStatusAsync(cluster.Client, new { type = "demo", payload = new { items = 1 } })).ShouldBe(HttpStatusCode.TooManyRequests, "every endpoint counts");
    }

    [Fact]
    public async Task EveryAnswerToAKey_SaysHowMuchOfItsLimitIsLeft_DownToThe429()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await cluster.SetLimitsAsync(cluster.Caller.WorkspaceId, requestsPerMinute: 3);

        var remaining = new List<string>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await cluster.Client.GetAsync("/api/jobs");
            response.Headers.GetValues("RateLimit-Limit").Single().ShouldBe("3");
            int.Parse(response.Headers.GetValues("RateLimit-Reset").Single()).ShouldBeInRange(1, 60);
            remaining.Add(response.Headers.GetValues("RateLimit-Remaining").Single());
            refused = response;
        }

        remaining.ShouldBe(["2", "1", "0", "0"]);
        refused!.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Limits_AreSharedByEveryApiInstance()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (_, caller, apiKey) = await cluster.CreateWorkspaceAsync();
        await cluster.SetLimitsAsync(caller.WorkspaceId, requestsPerMinute: 10, bulkJobsPerHour: 2);
        using var first = TestCluster.ClientOf(cluster.Api, apiKey);
        using var second = TestCluster.ClientOf(cluster.StartApi(), apiKey);

        (await SubmitStatusAsync(first, Export)).ShouldBe(HttpStatusCode.Accepted);
        (await SubmitStatusAsync(second, Export)).ShouldBe(HttpStatusCode.Accepted);
        (await SubmitStatusAsync(first, Export)).ShouldBe(HttpStatusCode.TooManyRequests, "two bulk jobs were counted, one on each instance");
        (await SubmitStatusAsync(second, Export)).ShouldBe(HttpStatusCode.TooManyRequests);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await first.GetAsync("/api/jobs")).StatusCode);
            statuses.Add((await second.GetAsync("/api/jobs")).StatusCode);
        }

        // 4 submissions and 6 lists make the 10 a minute; both instances refuse the rest.
        statuses.Count(s => s == HttpStatusCode.OK).ShouldBe(6);
        statuses.Skip(6).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task RedisCounter_TwoLimiterInstances_CountTogether()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var second = cluster.StartApi();
        var limiters = new[] { cluster.Api.Services.GetRequiredService<RedisRateLimiter>(), second.Services.GetRequiredService<RedisRateLimiter>() };

        var allowed = 0;
        for (var i = 0; i < 10; i++)
        {
            var (decision, _) = await limiters[i % 2].TryReserveAsync("bulk:shared-test", limit: 5, TimeSpan.FromMinutes(1), count: 1);
            allowed += decision.Allowed ? 1 : 0;
        }

        allowed.ShouldBe(5);
        var (refused, _) = await limiters[0].TryReserveAsync("bulk:shared-test", limit: 5, TimeSpan.FromMinutes(1), count: 1);
        refused.Allowed.ShouldBeFalse();
        refused.RetryAfter.ShouldBeInRange(TimeSpan.FromSeconds(55), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task RedisDown_LimitsFailOpen_AndSubmissionsAreStillAccepted()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, redisConnectionString: redis.ConnectionString);
        await cluster.SetLimitsAsync(cluster.Caller.WorkspaceId, requestsPerMinute: 2, bulkJobsPerHour: 1);
        await redis.StopAsync();

        for (var i = 0; i < 3; i++)
        {
            (await SubmitStatusAsync(cluster.Client, Export)).ShouldBe(HttpStatusCode.Accepted);
        }
    }

    private static async Task<HttpStatusCode> SubmitStatusAsync(HttpClient client, object request, string? idempotencyKey = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(request) };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(message);
        return response.StatusCode;
    }
}
