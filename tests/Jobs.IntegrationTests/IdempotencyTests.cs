using System.Net;
using System.Net.Http.Json;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

public sealed class IdempotencyTests(Servers servers)
{
    [Fact]
    public async Task SameIdempotencyKey_ReturnsTheSameJob_AndRunsItOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var request = new { type = "demo", payload = new { items = 3 } };

        var first = await cluster.Client.SubmitAsync(request, idempotencyKey: "order-42");
        var second = await cluster.Client.SubmitAsync(request, idempotencyKey: "order-42");

        second.ShouldBe(first);
        await cluster.Client.WaitForStatusAsync(first, "completed");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(1);
    }

    [Fact]
    public async Task ConcurrentSubmissionsWithOneKey_AllGetTheSameJob()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var request = new { type = "demo", payload = new { items = 1 } };

        var ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => cluster.Client.SubmitAsync(request, idempotencyKey: "burst")));

        ids.Distinct().Count().ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(1);
    }

    [Fact]
    public async Task ReusingAKeyForADifferentRequest_IsAConflict()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        await cluster.Client.SubmitAsync(new { type = "demo", payload = new { items = 1 } }, idempotencyKey: "k1");

        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { type = "demo", payload = new { items = 2 } }) };
        message.Headers.Add("Idempotency-Key", "k1");
        using var response = await cluster.Client.SendAsync(message);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).ShouldContain("idempotency_key_reused");
    }

    [Fact]
    public async Task IdempotencyKeys_AreScopedToTheWorkspace()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        var request = new { type = "demo", payload = new { items = 1 } };

        var mine = await cluster.Client.SubmitAsync(request, idempotencyKey: "shared");
        var theirs = await other.SubmitAsync(request, idempotencyKey: "shared");

        theirs.ShouldNotBe(mine);
    }
}
