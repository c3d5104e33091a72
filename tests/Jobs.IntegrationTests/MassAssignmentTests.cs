using System.Net;
using System.Text.Json;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>Issue 6 §2: fields a client may not set are refused with 400 naming them, and never applied.</summary>
public sealed class MassAssignmentTests(Servers servers)
{
    [Theory]
    [InlineData("workspaceId", "\"{other}\"")]
    [InlineData("workspace_id", "\"{other}\"")]
    [InlineData("status", "\"completed\"")]
    [InlineData("attempt", "7")]
    [InlineData("leaseOwner", "\"me\"")]
    [InlineData("userId", "\"{otherUser}\"")]
    [InlineData("id", "\"{other}\"")]
    [InlineData("result", "{\"ok\":true}")]
    [InlineData("priorty", "5")]
    public async Task ASubmissionSettingAFieldTheClientDoesNotOwn_Answers400NamingIt_AndStoresNothing(string field, string value)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var json = $$"""{"type":"demo","payload":{"items":1},"{{field}}":{{value.Replace("{other}", otherCaller.WorkspaceId.ToString()).Replace("{otherUser}", otherCaller.UserId.ToString())}}}""";

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(problem.ToString());
        messages[0].GetString().ShouldNotBeNullOrEmpty();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Fact]
    public async Task ABatchItemSettingAServerField_Answers400AtItsIndex_AndSubmitsNoneOfTheBatch()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var json = """
            {"jobs":[
              {"type":"demo","payload":{"items":1}},
              {"type":"demo","payload":{"items":1},"status":"completed","lease_owner":"me"}
            ]}
            """;

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs/batch", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
        errors.ShouldBe(["jobs[1].status", "jobs[1].lease_owner"], ignoreOrder: true);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Fact]
    public async Task ABatchNamingAWorkspace_Answers400_AndSubmitsNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var json = JsonSerializer.Serialize(new { workspaceId = otherCaller.WorkspaceId, jobs = new[] { new { type = "demo", payload = new { items = 1 } } } });

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs/batch", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("workspaceId", out var messages).ShouldBeTrue();
        messages[0].GetString()!.ShouldContain("set by the server");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }
}
