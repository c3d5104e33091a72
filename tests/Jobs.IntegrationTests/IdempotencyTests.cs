using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Queue;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

public sealed class IdempotencyTests(Servers servers)
{
    [Fact]
    public async Task SameKeyAndBody_AnswersTheOriginalJobWith200_AndRunsItOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var request = new { type = "demo", payload = new { items = 3 } };

        var first = await SendAsync(cluster.Client, request, "order-42");
        var second = await SendAsync(cluster.Client, request, "order-42");

        first.Status.ShouldBe(HttpStatusCode.Accepted);
        first.Replayed.ShouldBeNull();
        second.Status.ShouldBe(HttpStatusCode.OK);
        second.Replayed.ShouldBe("true");
        second.JobId.ShouldBe(first.JobId);
        second.Body.GetProperty("replayed").GetBoolean().ShouldBeTrue();
        first.Body.GetProperty("replayed").GetBoolean().ShouldBeFalse();
        await cluster.Client.WaitForStatusAsync(first.JobId!.Value, "completed");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(1);
    }

    [Fact]
    public async Task AJobSubmittedWithAKey_IsHintedByItsSubmit_LikeOneWithout()
    {
        // No workers, so no maintenance either: only the submits themselves can hint these jobs.
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var queue = cluster.Api.Services.GetRequiredService<JobQueue>();

        var keyed = await SendAsync(cluster.Client, new { type = "demo", payload = new { items = 1 } }, "hinted-at-once");
        var plain = await cluster.Client.SubmitDemoAsync(items: 1);

        keyed.Status.ShouldBe(HttpStatusCode.Accepted);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND hinted_at IS NOT NULL", ("ids", new[] { keyed.JobId!.Value, plain })))
            .ShouldBe(2);
        (await queue.LengthAsync("default")).ShouldBe(2);
    }

    [Fact]
    public async Task TheSameBodyWithItsPropertiesInAnotherOrder_IsTheSameRequest()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var first = await SendRawAsync(cluster.Client, """{"type":"demo","priority":3,"payload":{"items":2,"delayMs":5}}""", "ordered");
        var second = await SendRawAsync(cluster.Client, """{"payload":{"delayMs":5,"items":2},"priority":3,"type":"demo"}""", "ordered");

        first.Status.ShouldBe(HttpStatusCode.Accepted);
        second.Status.ShouldBe(HttpStatusCode.OK);
        second.JobId.ShouldBe(first.JobId);
    }

    [Fact]
    public async Task ConcurrentSubmissionsWithOneKey_AllGetTheSameJob_AndOneOfThemCreatesIt()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var request = new { type = "demo", payload = new { items = 1 } };

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => SendAsync(cluster.Client, request, "burst")));

        answers.Select(a => a.JobId).Distinct().Count().ShouldBe(1);
        answers.Count(a => a.Status == HttpStatusCode.Accepted).ShouldBe(1);
        answers.Count(a => a.Status == HttpStatusCode.OK && a.Replayed == "true").ShouldBe(9);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(1);
    }

    [Theory]
    [InlineData("""{"type":"demo","payload":{"items":2}}""")]
    [InlineData("""{"type":"demo","payload":{"items":1},"priority":5}""")]
    [InlineData("""{"type":"demo","payload":{"items":1},"maxAttempts":2}""")]
    [InlineData("""{"type":"demo","payload":{"items":1},"timeoutSeconds":60}""")]
    public async Task ReusingAKeyForADifferentRequest_Answers422_AndChangesNothing(string different)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var original = await SendRawAsync(cluster.Client, """{"type":"demo","payload":{"items":1}}""", "k1");

        var reused = await SendRawAsync(cluster.Client, different, "k1");

        reused.Status.ShouldBe((HttpStatusCode)422);
        reused.Body.GetProperty("code").GetString().ShouldBe("idempotency_key_reused");
        reused.Body.GetProperty("jobId").GetGuid().ShouldBe(original.JobId!.Value);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(1);
    }

    [Fact]
    public async Task IdempotencyKeys_AreScopedToTheWorkspace()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        var request = new { type = "demo", payload = new { items = 1 } };

        var mine = await SendAsync(cluster.Client, request, "shared");
        var theirs = await SendAsync(other, request, "shared");

        theirs.Status.ShouldBe(HttpStatusCode.Accepted);
        theirs.JobId.ShouldNotBe(mine.JobId);
    }

    [Fact]
    public async Task AKey_LivesForTheConfiguredLifetime_AndOnceExpired_MakesANewJob()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0,
            overrides: new Dictionary<string, string?> { ["Api:IdempotencyKeyLifetime"] = "03:00:00" });
        var request = new { type = "demo", payload = new { items = 1 } };
        var first = await SendAsync(cluster.Client, request, "nightly");
        var lifetime = await cluster.ScalarAsync<TimeSpan>("SELECT expires_at - created_at FROM idempotency_keys WHERE key = 'nightly'");

        await cluster.ScalarAsync<int>("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'nightly'");
        var afterExpiry = await SendAsync(cluster.Client, request, "nightly");
        var replayOfTheNewJob = await SendAsync(cluster.Client, new { type = "demo", payload = new { items = 1 } }, "nightly");

        lifetime.ShouldBe(TimeSpan.FromHours(3));
        afterExpiry.Status.ShouldBe(HttpStatusCode.Accepted);
        afterExpiry.JobId.ShouldNotBe(first.JobId);
        replayOfTheNewJob.Status.ShouldBe(HttpStatusCode.OK);
        replayOfTheNewJob.JobId.ShouldBe(afterExpiry.JobId);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE idempotency_key = 'nightly'")).ShouldBe(2);
    }

    [Fact]
    public async Task TheMaintenanceLeader_DeletesExpiredKeys_AndKeepsLiveOnes()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        await SendAsync(cluster.Client, new { type = "demo", payload = new { items = 1 } }, "old");
        await SendAsync(cluster.Client, new { type = "demo", payload = new { items = 1 } }, "live");

        await cluster.ScalarAsync<int>("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old'");

        await Eventually.TrueAsync(async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = 'old'") == 0,
            "the expired key to be deleted");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = 'live'")).ShouldBe(1);
    }

    [Fact]
    public async Task ABatch_HonoursKeysPerItem_ReplayingKnownOnes_AndAnswers200WhenAllAreReplays()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var known = await SendAsync(cluster.Client, new { type = "demo", payload = new { items = 1 } }, "known");
        var batch = new
        {
            jobs = new object[]
            {
                new { type = "demo", payload = new { items = 2 }, idempotencyKey = "fresh" },
                new { type = "demo", payload = new { items = 1 }, idempotencyKey = "known" },
            },
        };

        var (firstStatus, firstBody, _) = await PostBatchAsync(cluster.Client, batch);
        var (againStatus, againBody, againReplayed) = await PostBatchAsync(cluster.Client, batch);

        firstStatus.ShouldBe(HttpStatusCode.Accepted);
        var ids = JobIds(firstBody);
        ids[1].ShouldBe(known.JobId!.Value);
        firstBody.As<SubmitBatchResponse>().Jobs.Select(j => j.Replayed).ShouldBe([false, true]);
        againStatus.ShouldBe(HttpStatusCode.OK);
        againReplayed.ShouldBe("true");
        JobIds(againBody).ShouldBe(ids);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(2);
    }

    [Fact]
    public async Task ABatchReusingAKeyForADifferentRequest_Answers422_AndSubmitsNoneOfItsJobs()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await SendAsync(cluster.Client, new { type = "demo", payload = new { items = 1 } }, "known");
        var batch = new
        {
            jobs = new object[]
            {
                new { type = "demo", payload = new { items = 2 }, idempotencyKey = "fresh" },
                new { type = "demo", payload = new { items = 9 }, idempotencyKey = "known" },
            },
        };

        var (status, body, _) = await PostBatchAsync(cluster.Client, batch);

        status.ShouldBe((HttpStatusCode)422);
        body.GetProperty("code").GetString().ShouldBe("idempotency_key_reused");
        body.GetProperty("detail").GetString()!.ShouldContain("jobs[1]");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = 'fresh'")).ShouldBe(0);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheReplayAndTheReusedKey()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        using var anonymous = cluster.Api.CreateClient();

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        foreach (var path in new[] { "/api/jobs", "/api/jobs/batch" })
        {
            var responses = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("responses");
            responses.EnumerateObject().Select(r => r.Name).ShouldContain("422");
            responses.EnumerateObject().Select(r => r.Name).ShouldContain("200");
        }
    }

    private sealed record Answer(HttpStatusCode Status, Guid? JobId, string? Replayed, JsonElement Body);

    private static Task<Answer> SendAsync(HttpClient client, object request, string key) =>
        SendRawAsync(client, JsonSerializer.Serialize(request, JsonSerializerOptions.Web), key);

    private static async Task<Answer> SendRawAsync(HttpClient client, string json, string key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        message.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(message);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = response.IsSuccessStatusCode ? body.GetProperty("jobId").GetGuid() : (Guid?)null;
        return new Answer(response.StatusCode, id, response.Headers.TryGetValues("Idempotent-Replayed", out var values) ? values.Single() : null, body);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, string? Replayed)> PostBatchAsync(HttpClient client, object batch)
    {
        using var response = await client.PostAsJsonAsync("/api/jobs/batch", batch);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(),
            response.Headers.TryGetValues("Idempotent-Replayed", out var values) ? values.Single() : null);
    }

    private static Guid[] JobIds(JsonElement body) =>
        body.As<SubmitBatchResponse>().Jobs.Select(j => j.JobId).ToArray();
}
